# paydiag 消息，简体中文。
#
# 与 en.ftl 定义相同的消息 id（有测试检查）。*-customer 文本会原样转发给客户，
# 绝不包含内部原因。

## 词汇

kind-deposit = 充值
kind-withdrawal = 提现
kind-payment = 付款
kind-transfer = 转账

account-state-active = 正常
account-state-frozen = 冻结
account-state-restricted = 受限

freeze-reason-abnormal_login = 异常登录
freeze-reason-abnormal_activity = 异常活动审查
freeze-reason-identity_unverified = 身份未验证或验证已过期
freeze-reason-user_requested = 客户本人申请冻结
freeze-reason-compliance_review = 合规审查
freeze-reason-password_reset = 重置登录密码
freeze-reason-two_factor_changed = 更改两步验证（2FA）
freeze-reason-new_device = 新设备登录
freeze-reason-withdrawal_address_changed = 更改提现地址
freeze-reason-unspecified = 无记录原因

failure-reason-insufficient_balance = 余额不足
failure-reason-invalid_details = 信息无效
failure-reason-limit_exceeded = 超出限额
failure-reason-risk_declined = 风控拒绝
failure-reason-expired = 订单或报价已过期
failure-reason-issuer_declined = 客户的银行或发卡行拒绝
failure-reason-unspecified = 无记录原因

confirmation-method-email = 通过邮件中的确认链接
confirmation-method-two_factor = 在 App 内输入两步验证码
confirmation-method-device = 在已信任设备的 App 内

requested-information-originator_details = 汇款方信息（旅行规则）
requested-information-beneficiary_details = 收款方信息（旅行规则）
requested-information-source_of_funds = 资金来源证明

value-none = 无
field-amount = 金额
field-asset = 币种
field-network = 网络
field-destination = 收款地址
field-memo = 备注/标签
field-paid_at = 付款时间
field-tx_hash = 交易哈希（TxID）

maintenance-type-scheduled = 计划维护
maintenance-type-unplanned = 突发故障

## 通用

rule-no-transaction = 未检查：没有可检查的交易。

## ownership

ownership-requester = 该交易属于提问者本人的账户。
ownership-other = 该交易属于另一个账户（{ $owner }），不属于提问者：交易信息已隐藏，客户只会被告知未找到该参考号。

## not_found

not-found-exists = 存在该参考号的交易（创建于 { $created_at }）。
not-found-detail = 平台未收到参考号为 { $reference } 的交易。
not-found-created-later = 评估时间点不存在参考号为 { $reference } 的交易；该交易创建于之后的 { $created_at }。
not-found-summary = 请客户核对参考号。该笔付款可能从未到达平台（例如提交时网络故障）；如果资金已从客户的银行账户或钱包转出，请索取付款凭证并立案处理。
not-found-customer = 我们未找到参考号为 { $reference } 的付款。请核对参考号。如果资金已从您的银行账户或钱包转出，请携带付款凭证（银行流水或交易哈希）联系客服。

## unsupported_asset

unsupported-asset-not-deposit = 不是充值（{ $kind }）：只有充值需要核对网络支持的币种。
unsupported-asset-unlisted = { $network } 未列出支持的币种，视为支持所有币种。
unsupported-asset-supported = { $network } 支持 { $asset }。
unsupported-asset-detail = { $network } 不支持 { $asset }（仅支持 { $supported }），因此该笔充值未入账。
unsupported-asset-summary = 客户通过 { $network } 充值了 { $asset }，但该网络仅支持 { $supported }：资金未入账，只能人工找回，且不一定能找回。{ $action ->
    [contact_support] 请凭交易哈希（TxID）和收款地址提交找回工单，并告知客户能否找回。
   *[request_recovery] 请客户凭交易哈希（TxID）提交找回申请；不要向客户承诺一定能找回。
}
unsupported-asset-customer = 我们暂不支持通过 { $network } 网络充值 { $asset }，您的这笔 { $amount } { $asset } 充值因此未能自动到账。{ $action ->
    [contact_support] 请联系客服并提供交易哈希（TxID），我们会为您核实能否找回。
   *[request_recovery] 请在 App 内提交找回申请，并附上交易哈希（TxID），我们会告知您能否找回。
}

## below_minimum

below-minimum-not-deposit = 不是充值（{ $kind }），不适用最低充值金额。
below-minimum-none = { $network } 上的 { $asset } 未设置最低充值金额。
below-minimum-met = { $amount } { $asset } 已达到 { $network } 上 { $asset } 的最低充值金额 { $minimum } { $asset }。
below-minimum-detail = 该笔充值 { $amount } { $asset } 低于 { $network } 上的最低充值金额 { $minimum } { $asset }，因此未自动入账。
below-minimum-summary = { $amount } { $asset } 低于 { $network } 上 { $minimum } { $asset } 的最低充值金额，未入账。{ $action ->
    [request_recovery] 请客户凭交易哈希（TxID）提交找回申请；此类资金只能人工入账。
   *[contact_support] 如平台支持找回此类充值，请凭交易哈希（TxID）提交找回工单，并告知客户能否找回。
}
below-minimum-customer = 您充值的 { $amount } { $asset } 低于 { $network } 网络的最低充值金额（{ $minimum } { $asset }），因此未能自动到账。{ $action ->
    [request_recovery] 请在 App 内提交找回申请，并附上交易哈希（TxID）。
   *[contact_support] 请联系客服并提供交易哈希（TxID），我们会为您核实能否找回。
}

## account_frozen

frozen-active = 账户状态正常：没有任何限制阻止此交易。
frozen-other-kinds = 账户受限（{ $reason }），但不限制{ $kind }。
frozen-security-hold = 账户因{ $reason }处于安全保护期，并非冻结：见安全保护期规则。
frozen-but-completed = 账户目前被冻结或受限（{ $reason }），但此交易在此之前已完成，未受影响。
frozen-after-failure = 账户自 { $since } 起处于{ $state }状态（{ $reason }），晚于此交易被拒绝的时间：冻结并非拒绝原因。
frozen-detail = 账户自 { $since } 起处于{ $state }状态（{ $reason }），此笔{ $kind }因此被阻止。
frozen-summary-verify = 账户因{ $reason }处于{ $state }状态。客户需完成身份验证，之后交易将继续处理。
frozen-summary-verify-failed = 账户因{ $reason }处于{ $state }状态，该交易已被拒绝。客户需完成身份验证，然后重新提交。
frozen-summary-user-requested = 账户应客户本人要求处于{ $state }状态。如需解除，客户需确认身份。
frozen-summary-secure = 账户因{ $reason }处于{ $state }状态。客户需重置密码、开启两步验证，然后完成身份验证。
frozen-summary-support = 账户处于{ $state }状态（{ $reason }）。只能由客服处理：请转交审查团队，且不要向客户透露原因。
frozen-customer = { $reason ->
    [identity_unverified] 您的{ $kind }已暂停处理，因为账户 { $account } 需要完成身份验证。请在应用内完成验证，之后{ $kind }将继续处理。
    [user_requested] 您的{ $kind }已暂停处理，因为账户 { $account } 已按您的要求冻结。如需解除冻结，请在应用内确认您的身份。
    [abnormal_login] 您的{ $kind }已暂停处理，因为我们发现账户 { $account } 存在异常登录。请重置密码、开启两步验证，然后完成身份验证。
   *[review] 您的{ $kind }已暂停处理，因为账户 { $account } 需要客服团队审核。请联系客服。
}
frozen-customer-failed = { $reason ->
    [identity_unverified] 您的{ $kind }未能完成，因为账户 { $account } 需要完成身份验证。请在应用内完成验证后重试。
    [user_requested] 您的{ $kind }未能完成，因为账户 { $account } 已按您的要求冻结。如需解除冻结，请在应用内确认您的身份后重试。
    [abnormal_login] 您的{ $kind }未能完成，因为我们发现账户 { $account } 存在异常登录。请重置密码、开启两步验证并完成身份验证后重试。
   *[review] 您的{ $kind }未能完成，因为账户 { $account } 需要客服团队审核。请联系客服。
}
frozen-holder = { $state ->
    [restricted] 账户限制
   *[frozen] 账户冻结
}

## security_hold

security-hold-none = 账户当前不在安全保护期内。
security-hold-other-kinds = 账户因{ $trigger }处于安全保护期{ $open ->
    [yes] （未记录结束时间）
   *[no] （至 { $until }）
}，但保护期不限制{ $kind }。
security-hold-not-in-flight = 账户因{ $trigger }处于安全保护期{ $open ->
    [yes] （未记录结束时间）
   *[no] （至 { $until }）
}，但该笔{ $kind }已不在处理中，不受影响。
security-hold-detail = 账户自 { $since } 起因{ $trigger }处于安全保护期{ $open ->
    [yes] ，未记录结束时间
   *[no] ，至 { $until } 结束
}：保护期结束后该笔{ $kind }将继续处理。
security-hold-holder = 安全保护期
security-hold-summary = { $open ->
    [yes] 账户因{ $trigger }处于安全保护期，未记录结束时间：请向安全团队确认何时结束。
   *[no] 请等待至 { $until }：账户因{ $trigger }处于安全保护期，{ $kind }暂停，保护期结束后将自动继续处理。
}请勿向客户说明具体是哪项变更。如客户表示并非本人操作，请按账户被盗处理并上报安全团队。
security-hold-customer = 为保障您的资金安全，由于您的账户近期变更了安全设置，{ $kind }功能将暂停{ $open ->
    [yes] 一段时间
   *[no] 至 { $until }
}。届时您的这笔{ $kind }会自动继续处理，您无需任何操作。如非本人操作，请立即联系客服。

## rejected

rejected-not-failed = 该交易未被拒绝。
rejected-detail = 该笔{ $kind }已被拒绝：{ $reason }。
rejected-summary = 已拒绝（{ $reason }）：{ $amount } { $asset }。{ $code ->
    [insufficient_balance] 客户需充值（含手续费）后重新提交。
    [invalid_details] 客户需更正信息后重新提交。
    [limit_exceeded] 客户需在限额内（或提高限额后）重新提交。
    [expired] 客户需重新下单并在过期前付款。
    [expired_paid_late] 资金在订单过期后才到账，因此未被入账。需由客服退款或手动入账；客户不应再次付款。
    [issuer_declined] 客户的银行或发卡行拒绝了该笔交易，且未告知平台原因：请客户向其银行询问原因（或更换银行卡/账户），然后重新提交。
   *[other] 需由客服审查。
}
rejected-customer = { $reason ->
    [insufficient_balance] 您的{ $kind }被拒绝，因为余额不足以支付金额及手续费。请充值后重试。
    [invalid_details] 您的{ $kind }被拒绝，因为部分信息无效。请核对信息后重试。
    [limit_exceeded] 您的{ $kind }被拒绝，因为超出了账户限额。请减少金额，或联系客服了解限额。
    [expired] 您的{ $kind }被拒绝，因为订单在付款到账前已过期。请重新下单后重试。
    [expired_paid_late] 您的{ $kind }在订单过期后才到账，因此无法自动入账。请勿再次付款：请联系客服，我们将为您退款或将其用于新订单。
    [issuer_declined] 您的{ $kind }被您的银行或发卡行拒绝。请联系您的银行了解原因，或更换其他银行卡/账户后重试。
   *[other] 您的{ $kind }未能完成。请联系客服了解详情。
}

## awaiting_customer_confirmation

awaiting-confirmation-none = 没有等待客户确认的申请。
awaiting-confirmation-not-pending = 曾要求客户确认，但该交易已不是待处理状态，不再等待确认。
awaiting-confirmation-detail = 该笔{ $kind }正在等待客户{ $method }确认；确认前不会发出，{ $expires_at } 前未确认将失效。
awaiting-confirmation-lapsed-detail = 该笔{ $kind }未在 { $expires_at } 前{ $method }确认，申请已失效，资金未发出。
awaiting-confirmation-summary = 请提醒客户在 { $expires_at } 前{ $method }确认这笔 { $amount } { $asset } 的{ $kind }。确认前不会发出；逾期申请失效，需重新提交。
awaiting-confirmation-lapsed-summary = 这笔 { $amount } { $asset } 的{ $kind }在 { $expires_at } 前未确认，申请已失效，资金未发出：客户需重新提交，并{ $method }完成确认。
awaiting-confirmation-customer = 您的 { $amount } { $asset } { $kind }申请正在等待您确认。请在 { $expires_at } 前{ $code ->
    [email] 点击我们发送给您的邮件中的确认链接
    [two_factor] 在 App 内输入两步验证码
   *[device] 在您已信任设备的 App 内
}完成确认。确认前资金不会发出；逾期未确认，该申请将自动取消，需要重新提交。
awaiting-confirmation-lapsed-customer = 您的 { $amount } { $asset } { $kind }申请未在 { $expires_at } 前确认，已自动取消，资金未发出。请重新提交，并{ $code ->
    [email] 点击邮件中的确认链接
    [two_factor] 在 App 内输入两步验证码
   *[device] 在您已信任设备的 App 内
}完成确认。

## information_required

information-none = 没有需要客户补充的信息。
information-requested-later = 信息补充请求发出于之后的 { $requested_at }：当时交易尚未因此暂停。
information-not-in-flight = 曾要求补充信息，但该交易已不在处理中，不再因此暂停。
information-detail = 交易暂停处理，等待客户补充{ $items }（请求发出于 { $requested_at }）。
information-summary = 请客户通过 App 内的请求或 { $requested_at } 发出的邮件补充{ $items }；补充前该笔{ $kind }将一直暂停。只告知客户“需要您补充一些信息”，切勿提及审查、旅行规则或反洗钱核查。
information-customer = 您的 { $amount } { $asset } { $kind }暂未处理，因为我们需要您补充一些信息。请在 App 内或通过我们发送给您的邮件打开信息补充请求并填写完整，我们收到后会继续为您处理这笔{ $kind }。
information-holder = 信息补充请求

## input_mismatch

mismatch-none = 交易与要求的信息及客户所述一致。
mismatch-expected-item = { $field }：要求 { $wanted }，实际 { $got }
mismatch-claim-item = { $field }：客户称 { $wanted }，记录为 { $got }
mismatch-memo-required-item = { $field }：该网络必须填写，实际 { $got }
mismatch-expected-item-customer = { $field }：应为 { $wanted }，实际发送 { $got }
mismatch-memo-required-item-customer = { $field }：该网络必须填写，但您未填写
mismatch-claim-item-customer = { $field }：您提供的是 { $wanted }，我们的记录为 { $got }
mismatch-expected-detail = 交易与要求的信息不一致：{ $diffs }。
mismatch-claim-detail = 客户所述与记录不一致：{ $diffs }。
mismatch-summary-recovery = 资金发送时信息有误（{ $diffs }）。客户需提交找回申请；此类资金不会自动入账。
mismatch-summary-support = 交易与订单不符（{ $diffs }）。需由客服与客户协商处理差额。
mismatch-summary-claim = 客户可能看错了付款记录或输入有误（{ $diffs }）。请客户核对参考号和付款信息。
mismatch-customer-recovery = 您的{ $kind }发送时的信息与要求不符（{ $diffs }），因此无法自动入账。请在应用内提交找回申请。
mismatch-customer-support = 您的{ $kind }与订单不符（{ $diffs }）。请联系客服处理差额。
mismatch-customer-claim = 您提供的信息与我们对该笔付款的记录不符（{ $diffs }）。请确认该参考号对应的是您所指的付款。

## maintenance

maintenance-completed = 交易已完成，不受维护影响。
maintenance-arrived = 交易已到达 { $network } 网络，不再受维护影响。
maintenance-holder = { $network } 网络{ $type }
maintenance-none = { $network } 上没有影响此交易的维护。
maintenance-claim-none = 客户称付款时间为 { $paid_at }，当时 { $network } 上没有进行中的维护。
maintenance-detail = { $network } 因{ $type }（“{ $title }”，始于 { $starts_at }）导致交易延迟；{ $open ->
    [yes] 结束时间尚未公布。
   *[no] 积压交易预计在 { $clears_at } 前处理完毕。
}
maintenance-claim-detail = 客户称于 { $paid_at } 在 { $network } 上付款，当时正值{ $type }（“{ $title }”，始于 { $starts_at }）；该笔付款可能仍在排队。{ $open ->
    [yes] 结束时间尚未公布。
   *[no] 积压交易预计在 { $clears_at } 前处理完毕。
}
maintenance-summary = 请等待：{ $type }“{ $title }”正在影响交易处理。{ $open ->
    [yes] 结束时间尚未公布，请于 { $recheck_at } 再次检查。
   *[no] 积压交易预计在 { $clears_at } 前处理完毕。
}
maintenance-customer = { $network } 因{ $type }，该网络上的交易会有延迟。{ $open ->
    [yes] 您的资金是安全的；网络恢复后我们会立即处理该交易。
   *[no] 您的资金是安全的；预计在 { $clears_at } 前完成。
}
maintenance-claim-summary = 平台尚未收到该参考号的交易，但客户称在{ $type }（“{ $title }”）期间于 { $network } 上付款，该笔付款可能仍在排队。请向客户索取交易哈希。{ $open ->
    [yes] 结束时间尚未公布，请于 { $recheck_at } 再次检查。
   *[no] 如积压在 { $clears_at } 处理完毕后仍未到账，请凭交易哈希提交工单。
}
maintenance-claim-customer = 我们尚未收到这笔付款。{ $network } 因{ $type }，付款会有延迟，您的付款可能仍在途中。{ $open ->
    [yes] 如网络恢复后仍未到账，请携带交易哈希联系客服。
   *[no] 如在 { $clears_at } 前仍未到账，请携带交易哈希联系客服。
}
## confirmation_stalled 与 confirmation_delay

confirmation-not-in-flight = 该交易已不再等待确认。
stalled-within-bound = 已等待 { $age }，仍在 { $network } 的停滞界限之内。
stalled-held = { $network } 正在维护，处理暂停至 { $resumes }：停滞计时从恢复处理时开始。
stalled-held-open = { $network } 正在维护，尚未公布结束时间：停滞计时从恢复处理时开始。
stalled-not-started = { $business_days ->
    [yes] { $network } 只按工作日计时：等待时间从 { $since } 起计算，目前不可能已停滞。
   *[no] 等待时间从 { $since } 起计算：时间尚短，不可能已停滞。
}
stalled-paused = 自 { $held_since } 起因{ $holder }暂停处理：暂停期间不计等待时间{ $waited ->
    [yes] （此前已等待 { $age }）
   *[no] {""}
}，解除前不会被判定为停滞。
stalled-detail = 已等待 { $age }，超过 { $stall_after }（{ $network } 上预计需要 { $expected_time }{ $fallback ->
    [yes] ；{ $network } 没有专属策略，使用默认策略
   *[no] {""}
}）。{ $rail ->
    [yes] 处理尚未完成。
   *[no] 目前 { $confirmations }/{ $required } 个确认。
}
stalled-summary = 请上报运营团队：该交易已等待 { $age }，而 { $network } 上预计只需 { $expected_time }。
stalled-customer = 您的{ $kind }处理时间比平时长。我们已请运营团队跟进，并会及时通知您。
delay-beyond-bound = 已等待 { $age }，超出 { $network } 上的预计时间：见停滞规则。
delay-detail = { $rail ->
    [yes] { $network } 处理通常需要 { $expected_time }
   *[no] { $network } 上已有 { $confirmations }/{ $required } 个确认；全部确认通常需要 { $expected_time }
}{ $congested ->
    [yes] （拥堵系数 ×{ $congestion }）
   *[no] {""}
}{ $fallback ->
    [yes] （默认策略：{ $network } 没有专属策略）
   *[no] {""}
}。预计在 { $done } 前完成。
delay-summary = 请等待至 { $done }：{ $rail ->
    [yes] { $network } 处理需要 { $expected_time }。
   *[no] 目前 { $confirmations }/{ $required } 个确认。
}
delay-customer = 您的{ $amount } { $asset }{ $kind }{ $rail ->
    [yes] 正在由 { $network } 处理
   *[no] 正在等待 { $network } 网络确认（{ $confirmations }/{ $required }）
}。预计在 { $done } 前完成。
delay-overdue-detail = 已等待 { $age }，超过 { $network } 上预计的 { $expected_time }{ $rail ->
    [yes] {""}
   *[no] （目前 { $confirmations }/{ $required } 个确认）
}，但仍在停滞界限之内：自 { $stalls_at } 起视为停滞。
delay-overdue-summary = 请等待至 { $stalls_at }：该交易在 { $network } 上耗时超出预期，但尚未停滞。如届时仍未完成，请上报。
delay-overdue-customer = 您的{ $amount } { $asset }{ $kind }在 { $network } 上的处理时间比平时长。您无需任何操作；如在 { $stalls_at } 前仍未完成，我们将跟进处理。
delay-held-detail = { $rail ->
    [yes] { $network } 处理通常需要 { $expected_time }
   *[no] { $network } 上已有 { $confirmations }/{ $required } 个确认；全部确认通常需要 { $expected_time }
}，从解除暂停后起算：自 { $held_since } 起因{ $holder }暂停处理，因此无法给出完成时间。
delay-held-summary = 请勿向客户承诺完成时间：交易因{ $holder }暂停处理。解除后，{ $network } 通常需要 { $expected_time }。
delay-held-customer = 您的{ $amount } { $asset }{ $kind }目前暂停处理，解除后将继续；在此之前我们无法给出到账时间。

## no_incident

no-incident-not-completed = 该交易尚未完成。
no-incident-not-credited = { $network } 上的{ $amount } { $asset }{ $kind }已于 { $arrived } 到达，但尚未入账到客户账户。
no-incident-other-causes = 并非无异常：另有原因可以解释该交易（见已匹配的检查结果）。
no-incident-detail = { $network } 上的{ $amount } { $asset }{ $kind }已于 { $done } 完成。
no-incident-summary = 无需处理：{ $amount } { $asset }（{ $kind }）已于 { $done } 完成。{ $outgoing ->
    [yes] 如客户称未到账，请告知证据中的收款地址，并请客户向收款钱包、银行或交易所核实。
   *[no] {""}
}
no-incident-customer = 您的{ $amount } { $asset }{ $kind }已于 { $done } 完成。{ $outgoing ->
    [yes] 如尚未到账，请向收款钱包、银行或交易所核实（部分平台需要备注或标签才能入账），然后携带您使用的收款地址联系我们。
   *[no] {""}
}

## undetermined

undetermined-summary = 没有规则能解释该交易。请携带检查结果上报运营团队。
undetermined-customer = 我们正在核查您的交易，稍后会通知您。

## Next steps: where and how soon the customer hears back
# Appended to a customer message when support or operations acts on its next step.

customer-with-reply = { $message }{ $reply }
reply-expected = { $channel ->
    [email] 客服将在{ $within }内通过邮件回复您。
    [in_app_chat] 客服将在{ $within }内通过应用内在线客服回复您。
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

## TriageTicket replies

triage-reply-greeting = 您好，
triage-reply-closing = 如还有疑问，直接回复这封邮件即可，我们会继续为您跟进。
triage-reply-item = 关于 { $reference }：{ $message }
triage-needs-info =
    感谢您联系我们。我们暂时没能找到您所说的这笔付款。为了尽快帮您核实，请回复以下信息：
    { $items }
    收到后我们会马上查询，并告诉您这笔付款目前的进度。
missing-reference-or-tx-hash = 这笔付款的订单号（参考号），或交易哈希（TxID）
missing-payment-time = 付款的日期和时间
missing-amount = 付款金额及币种
missing-network = 使用的网络（例如 TRC20、ERC20、BEP20），如为银行转账请注明转账方式
missing-payment-screenshot = 钱包或网银中这笔付款的截图
missing-transaction-reference = 这笔交易的订单号
missing-tx-hash = 这笔付款的交易哈希（TxID）
missing-destination-address = 您转入的收款地址或账户
missing-memo = 您填写的备注（Memo/Tag），如有
missing-bank-statement = 显示这笔付款的银行流水
missing-identity-document = 账户持有人的身份证件
