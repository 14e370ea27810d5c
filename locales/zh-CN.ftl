# paydiag 消息，简体中文（中国大陆）。
#
# 与 en.ftl 定义相同的消息 id，每条消息使用相同的参数（有测试检查）。*-customer 文本会原样
# 发给客户：用“您”称呼客户，账户一律说“您的账户”，不出现账户 id，也不透露风控、合规或
# 安全触发原因。*-detail、*-summary 给客服看，称“客户”。
#
# 写法：钱包/交易所客服口吻；因果先行（“由于……，您的……”），不照搬英文语序。
# 排版：汉字与数字、英文之间不加空格（“3/12个区块确认”“TRON网络”），金额与币种之间加
# 一个空格（“100 USDT”）；全角标点前后不加空格；日期不补零（2026年6月1日 14:58），
# 北京时间写在前面（北京时间 2026年6月1日 14:58）。
#
# 术语表：src/i18n/catalog_tests.rs 逐条检查。
#   “术语: 英文说法 / 英文说法 → 统一用语 | 统一用语 ≠ 禁用说法、禁用说法”：英文原文含左边
#   任一说法的消息，译文必须用到一个统一用语；禁用说法不得出现在任何消息里。
#   “禁用: 说法、说法”：不得出现在任何消息里。
# 术语: reference → 订单号 | 交易编号 ≠ 参考号、参考编号、引用号
# 术语: identity verification → 实名认证 ≠ 身份验证、身份认证、身份核验
# 术语: confirmations / block confirmation → 区块确认 | 确认数 ≠ 确认次数
#   （客户确认自己的申请不是区块确认：本术语只管 confirmations / block confirmation。）
# 术语: credited → 到账 | 上账 ≠ 记入、存入账户
# 术语: deposit → 充值 ≠ 存款、入金
# 术语: withdrawal → 提现 | 提币 ≠ 取款、出金
# 术语: your account → 您的账户 ≠ 你的账户、帐户
# 术语: contact support → 联系客服 ≠ 联系支持、联系支援
# 术语: recovery → 找回 ≠ 恢复请求、恢复申请
# 术语: transaction hash → TxID ≠ 交易散列
# 术语: two-step verification → 二次验证 ≠ 两步验证、两步骤验证
# 术语: longer than usual / delayed by → 给您带来不便，敬请谅解 ≠ 为由此造成的不便道歉、造成的任何不便
# 禁用: 携带、立案、提问者、评估时间

## 时间、时长与列表的写法

# 精确到分钟的时刻：$year、$month（month-* 词）、$day、$hour、$minute（两位数）。
format-moment = { $year }年{ $month }{ $day }日 { $hour }:{ $minute }
# 时刻所在时区：$zone 为 IANA 时区名（“/”换成“_”），$zone_name 按 format-zone-name 命名。
format-moment-in-zone = { $zone ->
    [Asia_Shanghai] 北京时间 { $moment }
    [Asia_Hong_Kong] 香港时间 { $moment }
    [Asia_Taipei] 台北时间 { $moment }
    [Asia_Macau] 澳门时间 { $moment }
   *[other] { $moment }（{ $zone_name }）
}
# 没有专名的时区写 UTC 偏移（UTC+1、UTC-4）。
format-zone-name = offset
format-list-separator = ；
month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月
duration-unit = { $unit ->
    [days] { $n }天
    [hours] { $n }小时
    [minutes] { $n }分钟
   *[seconds] { $n }秒
}
duration-pair = { $larger }{ $smaller }

## 词汇

kind-deposit = 充值
kind-withdrawal = 提现
kind-payment = 付款
kind-transfer = 转账

account-state-active = 正常
account-state-frozen = 冻结
account-state-restricted = 受限

freeze-reason-abnormal_login = 异常登录
freeze-reason-abnormal_activity = 异常活动审核
freeze-reason-identity_unverified = 未完成实名认证或实名认证已过期
freeze-reason-user_requested = 客户本人申请冻结
freeze-reason-compliance_review = 合规审核
freeze-reason-password_reset = 登录密码重置
freeze-reason-two_factor_changed = 更改二次验证（2FA）
freeze-reason-new_device = 新设备登录
freeze-reason-withdrawal_address_changed = 更改提现地址
freeze-reason-unspecified = 未记录原因

failure-reason-insufficient_balance = 余额不足
failure-reason-invalid_details = 信息有误
failure-reason-limit_exceeded = 超出限额
failure-reason-issuer_declined = 客户的银行或发卡行拒绝
failure-reason-risk_declined = 风控拒绝
failure-reason-expired = 订单或报价已过期
failure-reason-unspecified = 未记录原因

value-none = 无
field-amount = 金额
field-asset = 币种
field-network = 网络
field-destination = 收款地址
field-memo = Memo/标签
field-paid_at = 付款时间
field-tx_hash = TxID（交易哈希）

maintenance-type-scheduled = 计划维护
maintenance-type-unplanned = 突发故障

confirmation-method-email = 点击发送给客户的邮件中的确认链接
confirmation-method-two_factor = 在App内输入二次验证码
confirmation-method-device = 在已信任设备的App内

requested-information-originator_details = 汇款方信息（旅行规则）
requested-information-beneficiary_details = 收款方信息（旅行规则）
requested-information-source_of_funds = 资金来源证明

## 通用

rule-no-transaction = 未检查：没有可检查的交易。

## ownership

ownership-requester = 该交易属于查询人本人的账户。
ownership-other = 该交易属于其他账户（{ $owner }），不属于查询人：交易详情不予展示，客户只会看到“未查到该订单号”。

## not_found

not-found-exists = 该订单号对应的交易存在（创建于{ $created_at }）。
not-found-detail = 平台未收到订单号为{ $reference }的交易。
not-found-created-later = 截至诊断时间，订单号{ $reference }对应的交易尚不存在；该交易创建于之后的{ $created_at }。
not-found-summary = 请客户核对订单号。这笔付款可能没有到达平台（例如提交时网络异常）；如果款项已从客户的银行账户或钱包扣除，请客户提供付款凭证，并创建工单跟进。
not-found-customer = 我们没有查到订单号为{ $reference }的付款，请核对订单号是否正确。如果款项已从您的银行账户或钱包扣除，请联系客服并提供付款凭证（银行流水或TxID）。

## unsupported_asset

unsupported-asset-not-deposit = 该交易不是充值（{ $kind }）：只有充值需要核对网络是否支持该币种。
unsupported-asset-unlisted = { $network }网络未列出支持的币种，视为支持所有币种。
unsupported-asset-supported = { $network }网络支持{ $asset }。
unsupported-asset-detail = { $network }网络不支持{ $asset }（仅支持{ $supported }），因此该笔充值未到账。
unsupported-asset-summary = 客户通过{ $network }网络充值了{ $asset }，但该网络仅支持{ $supported }：资金未到账，只能人工找回，且不一定能找回。{ $action ->
    [contact_support] 请凭TxID和收款地址提交找回工单，并告知客户能否找回。
   *[request_recovery] 请客户凭TxID提交找回申请，不要承诺一定能找回。
}
unsupported-asset-customer = 由于我们暂不支持通过{ $network }网络充值{ $asset }，您的这笔{ $amount } { $asset }充值未能自动到账。{ $action ->
    [contact_support] 请联系客服并提供交易哈希（TxID），我们会为您核实能否找回。
   *[request_recovery] 请在App内提交找回申请并附上交易哈希（TxID），我们会告知您能否找回。
}

## below_minimum

below-minimum-not-deposit = 该交易不是充值（{ $kind }），不适用最低充值金额。
below-minimum-none = { $network }网络未设置{ $asset }的最低充值金额。
below-minimum-met = { $amount } { $asset }已达到{ $network }网络{ $asset }的最低充值金额（{ $minimum } { $asset }）。
below-minimum-detail = 该笔充值{ $amount } { $asset }低于{ $network }网络的最低充值金额（{ $minimum } { $asset }），因此未自动到账。
below-minimum-summary = { $amount } { $asset }低于{ $network }网络的最低充值金额（{ $minimum } { $asset }），未到账。{ $action ->
    [request_recovery] 请客户凭TxID提交找回申请；此类资金只能人工到账。
   *[contact_support] 如平台支持找回此类充值，请凭TxID提交找回工单，并告知客户能否找回。
}
below-minimum-customer = 由于您充值的{ $amount } { $asset }低于{ $network }网络的最低充值金额（{ $minimum } { $asset }），这笔充值未能自动到账。{ $action ->
    [request_recovery] 请在App内提交找回申请并附上交易哈希（TxID）。
   *[contact_support] 请联系客服并提供交易哈希（TxID），我们会为您核实能否找回。
}

## account_frozen

frozen-active = 账户状态正常，没有限制影响此交易。
frozen-other-kinds = 账户受限（{ $reason }），但不限制{ $kind }。
frozen-but-completed = 账户目前处于冻结或受限状态（{ $reason }），但此交易在此之前已完成，不受影响。
frozen-after-failure = 账户自{ $since }起处于{ $state }状态（{ $reason }），晚于此交易被拒绝的时间，因此拒绝并非冻结所致。
frozen-detail = 账户自{ $since }起处于{ $state }状态（{ $reason }），此笔{ $kind }因此暂停处理。
frozen-summary-verify = 由于{ $reason }，账户处于{ $state }状态。客户完成实名认证后，交易将继续处理。
frozen-summary-verify-failed = 由于{ $reason }，账户处于{ $state }状态，该交易已被拒绝。客户需先完成实名认证，再重新提交。
frozen-summary-user-requested = 账户应客户本人要求处于{ $state }状态。如需解冻，客户需先核实身份。
frozen-summary-secure = 因{ $reason }，账户处于{ $state }状态。客户需重置密码、开启二次验证（2FA），再完成实名认证。
frozen-summary-support = 账户处于{ $state }状态（{ $reason }），只能由客服处理：请转交审核团队，且不要向客户透露原因。
frozen-customer = { $reason ->
    [identity_unverified] 由于您的账户尚未完成实名认证，您的{ $kind }已暂停处理。请在App内完成实名认证，完成后{ $kind }将自动继续。
    [user_requested] 由于您的账户已按您的申请冻结，您的{ $kind }已暂停处理。如需解冻，请在App内核实身份。
    [abnormal_login] 我们检测到您的账户存在异常登录，为保障资金安全，您的{ $kind }已暂停处理。请重置登录密码、开启二次验证（2FA），然后重新完成实名认证。
   *[review] 由于您的账户需要客服团队审核，您的{ $kind }暂时无法处理，请联系客服。
}
frozen-customer-failed = { $reason ->
    [identity_unverified] 由于您的账户尚未完成实名认证，您的{ $kind }未能完成。请在App内完成实名认证后重新提交。
    [user_requested] 由于您的账户已按您的申请冻结，您的{ $kind }未能完成。如需解冻，请在App内核实身份后重新提交。
    [abnormal_login] 我们检测到您的账户存在异常登录，您的{ $kind }未能完成。请重置登录密码、开启二次验证（2FA）并重新完成实名认证后再试。
   *[review] 由于您的账户需要客服团队审核，您的{ $kind }未能完成，请联系客服。
}
frozen-holder = { $state ->
    [restricted] 账户限制
   *[frozen] 账户冻结
}
frozen-security-hold = 账户因{ $reason }处于安全保护期，并非冻结：见安全保护期规则。


## security_hold

security-hold-none = 账户当前不在安全保护期内。
security-hold-other-kinds = 账户因{ $trigger }处于安全保护期{ $open ->
    [yes] （未记录结束时间）
   *[no] （至{ $until }）
}，但保护期不限制{ $kind }。
security-hold-not-in-flight = 账户因{ $trigger }处于安全保护期{ $open ->
    [yes] （未记录结束时间）
   *[no] （至{ $until }）
}，但该笔{ $kind }已不在处理中，不受影响。
security-hold-detail = 账户自{ $since }起因{ $trigger }处于安全保护期{ $open ->
    [yes] ，未记录结束时间
   *[no] ，至{ $until }结束
}：保护期结束后该笔{ $kind }将继续处理。
security-hold-holder = 安全保护期
security-hold-summary = { $open ->
    [yes] 账户因{ $trigger }处于安全保护期，未记录结束时间：请向安全团队确认何时结束。
   *[no] 请等待至{ $until }：账户因{ $trigger }处于安全保护期，提现暂停，该笔{ $kind }将在保护期结束后自动继续处理。
}请勿向客户说明具体是哪项变更。如客户表示并非本人操作，请按账户被盗处理并上报安全团队。
security-hold-customer = 由于您的账户近期变更了安全设置，为保障您的资金安全，您的账户{ $kind }功能将暂停{ $open ->
    [yes] 一段时间
   *[no] 至{ $until }
}。届时您的这笔{ $kind }会自动继续处理，您无需任何操作。如非本人操作，请立即联系客服。

## rejected

rejected-not-failed = 该交易未被拒绝。
rejected-detail = 该笔{ $kind }已被拒绝：{ $reason }。
rejected-summary = 已拒绝（{ $reason }）：{ $amount } { $asset }。{ $code ->
    [insufficient_balance] 客户需补足余额（含手续费）后重新提交。
    [invalid_details] 客户需更正信息后重新提交。
    [limit_exceeded] 客户需在限额内（或提高限额后）重新提交。
    [expired] 客户需重新下单，并在订单过期前付款。
    [expired_paid_late] 款项在订单过期后才到账，未能自动匹配订单。需由客服退款或手动处理；请提醒客户不要重复付款。
    [issuer_declined] 客户的银行或发卡行拒绝了该笔交易，且未告知平台原因：请客户向其银行询问原因（或更换银行卡、账户），然后重新提交。
   *[other] 需由客服审核。
}
rejected-customer = { $reason ->
    [insufficient_balance] 由于余额不足以支付金额及手续费，您的{ $kind }未能成功。请充值后重试。
    [invalid_details] 由于部分信息有误，您的{ $kind }未能成功。请核对信息后重试。
    [limit_exceeded] 由于金额超出了您的账户限额，您的{ $kind }未能成功。请减少金额后重试，或联系客服了解限额。
    [expired] 由于订单在款项到账前已过期，您的{ $kind }未能成功。请重新下单后再付款。
    [expired_paid_late] 您的{ $kind }在订单过期后才到账，因此无法自动处理。请勿重复付款，并联系客服，我们将为您退款或将款项用于新订单。
    [issuer_declined] 您的{ $kind }被您的银行或发卡行拒绝。请联系您的银行了解原因，或更换其他银行卡、账户后重试。
   *[other] 您的{ $kind }未能完成，请联系客服了解详情。
}

## awaiting_customer_confirmation

awaiting-confirmation-none = 没有等待客户确认的申请。
awaiting-confirmation-not-pending = 曾要求客户确认，但该交易已不是待处理状态，不再等待确认。
awaiting-confirmation-detail = 该笔{ $kind }正在等待客户{ $method }确认；确认前不会发出，{ $expires_at }前未确认将失效。
awaiting-confirmation-lapsed-detail = 客户未在{ $expires_at }前{ $method }确认该笔{ $kind }，申请已失效，资金未发出。
awaiting-confirmation-summary = 请提醒客户在{ $expires_at }前{ $method }确认这笔{ $amount } { $asset }的{ $kind }。确认前不会发出；逾期申请失效，需重新提交。
awaiting-confirmation-lapsed-summary = 这笔{ $amount } { $asset }的{ $kind }在{ $expires_at }前未确认，申请已失效，资金未发出：客户需重新提交，并{ $method }完成确认。
awaiting-confirmation-customer = 您的{ $amount } { $asset }{ $kind }申请正在等待您确认。请在{ $expires_at }前{ $code ->
    [email] 点击我们发送给您的邮件中的确认链接
    [two_factor] 在App内输入二次验证码
   *[device] 在您已信任设备的App内
}完成确认。确认前资金不会发出；逾期未确认，该申请将自动取消，需要重新提交。
awaiting-confirmation-lapsed-customer = 由于您的{ $amount } { $asset }{ $kind }申请未在{ $expires_at }前确认，该申请已自动取消，资金未发出。请重新提交，并{ $code ->
    [email] 点击邮件中的确认链接
    [two_factor] 在App内输入二次验证码
   *[device] 在您已信任设备的App内
}完成确认。

## information_required

information-none = 没有需要客户补充的信息。
information-requested-later = 信息补充请求在之后的{ $requested_at }才发出：当时交易尚未因此暂停。
information-not-in-flight = 曾要求客户补充信息，但该交易已不在处理中，不再因此暂停。
information-detail = 交易暂停处理，等待客户补充{ $items }（请求发出于{ $requested_at }）。
information-summary = 请客户通过App内的请求或{ $requested_at }发出的邮件补充{ $items }；补充前该笔{ $kind }将一直暂停。只告知客户“需要您补充一些信息”，切勿提及审查、旅行规则或反洗钱核查。
information-customer = 由于我们需要您补充一些信息，您的{ $amount } { $asset }{ $kind }暂未处理。请在App内或通过我们发送给您的邮件打开信息补充请求并填写完整，我们收到后会继续为您处理这笔{ $kind }。
information-holder = 信息补充请求

## input_mismatch

mismatch-none = 交易与订单要求及客户所述一致。
mismatch-expected-item = { $field }：应为{ $wanted }，实际为{ $got }
mismatch-claim-item = { $field }：客户称{ $wanted }，记录为{ $got }
mismatch-memo-required-item = { $field }：该网络必须填写，实际为{ $got }
mismatch-expected-item-customer = { $field }：应为{ $wanted }，实际发送的是{ $got }
mismatch-memo-required-item-customer = { $field }：该网络必须填写，但您未填写
mismatch-claim-item-customer = { $field }：您提供的是{ $wanted }，我们的记录为{ $got }
mismatch-expected-detail = 交易与订单要求不符：{ $diffs }。
mismatch-claim-detail = 客户所述与记录不符：{ $diffs }。
mismatch-summary-recovery = 款项发送时信息有误（{ $diffs }），此类款项不会自动上账。请客户提交找回申请。
mismatch-summary-support = 交易与订单不符（{ $diffs }），需由客服与客户协商处理差额。
mismatch-summary-claim = 客户可能看错了付款记录或输入有误（{ $diffs }）。请客户核对订单号和付款信息。
mismatch-customer-recovery = 由于您的{ $kind }发送时填写的信息与要求不符（{ $diffs }），款项无法自动到账。请在App内提交找回申请。
mismatch-customer-support = 您的{ $kind }与订单信息不符（{ $diffs }），请联系客服处理差额。
mismatch-customer-claim = 您提供的信息与我们记录的这笔付款不符（{ $diffs }）。请确认该订单号是否对应您要查询的付款。

## maintenance

maintenance-completed = 交易已完成，不受维护影响。
maintenance-arrived = 交易已到达{ $network }，不再受维护影响。
maintenance-holder = { $network }网络{ $type }
maintenance-none = { $network }网络目前没有影响此交易的维护。
maintenance-claim-none = 客户称于{ $paid_at }付款，当时{ $network }网络没有进行中的维护。
maintenance-detail = { $network }网络因{ $type }（“{ $title }”，始于{ $starts_at }）出现延迟；{ $open ->
    [yes] 结束时间尚未公布。
   *[no] 积压交易预计于{ $clears_at }前处理完毕。
}
maintenance-claim-detail = 客户称于{ $paid_at }通过{ $network }网络付款，当时正值{ $type }（“{ $title }”，始于{ $starts_at }），这笔付款可能仍在排队。{ $open ->
    [yes] 结束时间尚未公布。
   *[no] 积压交易预计于{ $clears_at }前处理完毕。
}
maintenance-summary = 请等待：{ $type }“{ $title }”正在影响交易处理。{ $open ->
    [yes] 结束时间尚未公布，请于{ $recheck_at }再次查看。
   *[no] 积压交易预计于{ $clears_at }前处理完毕。
}
maintenance-customer = 受{ $type }影响，{ $network }网络的交易出现延迟，给您带来不便，敬请谅解。{ $open ->
    [yes] 请放心，您的资金安全，网络恢复后我们会第一时间处理。
   *[no] 请放心，您的资金安全，预计于{ $clears_at }前完成。
}
maintenance-claim-summary = 平台尚未收到该订单号的交易，但客户是在{ $type }（“{ $title }”）期间通过{ $network }网络付款的，这笔付款可能仍在排队。请向客户索取TxID。{ $open ->
    [yes] 结束时间尚未公布，请于{ $recheck_at }再次查看。
   *[no] 如积压于{ $clears_at }处理完毕后仍未到账，请凭TxID创建工单。
}
maintenance-claim-customer = 我们暂未收到这笔付款。受{ $type }影响，{ $network }网络的付款出现延迟，您的款项可能仍在途中，给您带来不便，敬请谅解。{ $open ->
    [yes] 如网络恢复后仍未到账，请联系客服并提供TxID（交易哈希）。
   *[no] 如{ $clears_at }前仍未到账，请联系客服并提供TxID（交易哈希）。
}

## confirmation_stalled 与 confirmation_delay

confirmation-not-in-flight = 该交易已不在等待区块确认。
stalled-within-bound = 已等待{ $age }，仍在{ $network }网络的停滞判定时限内。
stalled-held = { $network }网络维护中，处理暂停至{ $resumes }：停滞计时从恢复处理时开始。
stalled-held-open = { $network }网络维护中，结束时间尚未公布：停滞计时从恢复处理时开始。
stalled-not-started = { $business_days ->
    [yes] { $network }只按工作日计时：等待时间从{ $since }起算，目前不会被判定为停滞。
   *[no] 等待时间从{ $since }起算，时间尚短，不会被判定为停滞。
}
stalled-paused = 自{ $held_since }起因{ $holder }暂停处理：暂停期间不计等待时间{ $waited ->
    [yes] （此前已等待{ $age }）
   *[no] {""}
}，解除前不会被判定为停滞。
stalled-detail = 已等待{ $age }，超过{ $stall_after }（{ $network }预计需要{ $expected_time }{ $fallback ->
    [yes] ；{ $network }没有专属策略，使用默认策略
   *[no] {""}
}）。{ $rail ->
    [yes] 处理尚未完成。
   *[no] 目前区块确认数为{ $confirmations }/{ $required }。
}
stalled-summary = 请上报运营团队：该交易已等待{ $age }，而{ $network }通常只需{ $expected_time }。
stalled-customer = 您的{ $kind }处理时间比平时长，我们已安排运营团队跟进，有进展会第一时间通知您。给您带来不便，敬请谅解。
delay-beyond-bound = 已等待{ $age }，超出{ $network }的预计时间：见停滞规则。
delay-detail = { $rail ->
    [yes] { $network }处理通常需要{ $expected_time }
   *[no] { $network }网络已有{ $confirmations }/{ $required }个区块确认，全部确认通常需要{ $expected_time }
}{ $congested ->
    [yes] （拥堵系数×{ $congestion }）
   *[no] {""}
}{ $fallback ->
    [yes] （默认策略：{ $network }没有专属策略）
   *[no] {""}
}。预计于{ $done }前完成。
delay-summary = 请等待至{ $done }：{ $rail ->
    [yes] { $network }处理需要{ $expected_time }。
   *[no] 目前区块确认数为{ $confirmations }/{ $required }。
}
delay-customer = 您的{ $amount } { $asset }{ $kind }{ $rail ->
    [yes] 正在由{ $network }处理
   *[no] 正在等待{ $network }网络区块确认（{ $confirmations }/{ $required }）
}，预计于{ $done }前到账。
delay-overdue-detail = 已等待{ $age }，超过{ $network }预计的{ $expected_time }{ $rail ->
    [yes] {""}
   *[no] （目前区块确认数为{ $confirmations }/{ $required }）
}，但仍在停滞判定时限内：自{ $stalls_at }起视为停滞。
delay-overdue-summary = 请等待至{ $stalls_at }：该交易在{ $network }上耗时超出预期，但尚未停滞。如届时仍未完成，请上报。
delay-overdue-customer = 您的{ $amount } { $asset }{ $kind }在{ $network }上的处理时间比平时长，给您带来不便，敬请谅解。您无需进行任何操作；如{ $stalls_at }前仍未完成，我们会主动跟进。
delay-held-detail = { $rail ->
    [yes] { $network }处理通常需要{ $expected_time }
   *[no] { $network }网络已有{ $confirmations }/{ $required }个区块确认，全部确认通常需要{ $expected_time }
}，从解除暂停后起算：自{ $held_since }起因{ $holder }暂停处理，因此无法给出完成时间。
delay-held-summary = 请勿向客户承诺完成时间：交易因{ $holder }暂停处理。解除后，{ $network }通常需要{ $expected_time }。
delay-held-customer = 您的{ $amount } { $asset }{ $kind }目前暂停处理，解除后将继续；在此之前我们暂时无法告知到账时间。

## no_incident

no-incident-not-completed = 该交易尚未完成。
no-incident-not-credited = 这笔{ $amount } { $asset }{ $kind }已于{ $arrived }到达{ $network }，但尚未给客户上账。
no-incident-other-causes = 并非无异常：另有原因可以解释该交易（见已匹配的检查结果）。
no-incident-detail = { $network }上的这笔{ $amount } { $asset }{ $kind }已于{ $done }完成。
no-incident-summary = 无需处理：{ $amount } { $asset }（{ $kind }）已于{ $done }完成。{ $outgoing ->
    [yes] 如客户反映对方未到账，请告知证据中的收款地址，并请客户向收款钱包、银行或交易所核实。
   *[no] {""}
}
no-incident-customer = 您的{ $amount } { $asset }{ $kind }已于{ $done }完成。{ $outgoing ->
    [yes] 如对方尚未到账，请先向收款钱包、银行或交易所核实（部分平台需要填写Memo/标签才能上账），然后联系我们并提供您使用的收款地址。
   *[no] {""}
}

## undetermined

undetermined-summary = 没有规则能解释该交易。请将检查结果一并上报运营团队。
undetermined-customer = 我们正在核查您的交易，有结果会尽快通知您。

## 下一步：客户在哪里、多久能收到答复
# 客服或运营需要处理下一步时，附在客户消息之后。

customer-with-reply = { $message }{ $reply }
reply-expected = { $channel ->
    [email] 客服将在{ $within }内通过邮件回复您。
    [in_app_chat] 客服将在{ $within }内通过App在线客服回复您。
    [hotline] 拨打客服热线后，客服将在{ $within }内为您接听。
   *[in_app_form] 客服将在{ $within }内处理您的申请并回复您。
}
reply-within = { $to }{ $unit ->
    [business_days] 个工作日
    [days] 天
    [hours] 小时
   *[minutes] 分钟
}
reply-within-range = { $from }–{ $to }{ $unit ->
    [business_days] 个工作日
    [days] 天
    [hours] 小时
   *[minutes] 分钟
}

## TriageTicket 回复

triage-reply-greeting = 您好！
triage-reply-closing = 如还有疑问，直接回复本邮件即可，我们会继续为您跟进。
triage-reply-item = 关于{ $reference }：{ $message }
triage-needs-info =
    感谢您联系我们。我们暂时没有查到您咨询的这笔付款，为了尽快为您核实，请回复以下信息：
    { $items }
    收到后我们会立即查询，并告知您这笔付款的最新进度。
missing-reference-or-tx-hash = 这笔付款的订单号或TxID（交易哈希）
missing-payment-time = 付款的日期和时间
missing-amount = 付款金额及币种
missing-network = 使用的网络（例如TRC20、ERC20、BEP20），如为银行转账请注明转账方式
missing-payment-screenshot = 钱包或网银中这笔付款的截图
missing-transaction-reference = 这笔交易的订单号
missing-tx-hash = 这笔付款的TxID（交易哈希）
missing-destination-address = 您转入的收款地址或收款账户
missing-memo = 您填写的Memo/标签（如有）
missing-bank-statement = 显示这笔付款的银行流水
missing-identity-document = 账户持有人的身份证件
