# paydiag 訊息，繁體中文（台灣、香港、澳門讀者；zh-TW、zh-HK、zh-MO、zh-Hant 皆選用本檔）。
#
# 與 en.ftl 定義相同的訊息 id，每則訊息使用相同的參數（有測試檢查）。*-customer 文字會原封
# 不動地傳給客戶：以「您」稱呼客戶，帳戶一律寫「您的帳戶」，不出現帳戶 id，也不透露風控、
# 法遵或安全觸發原因。*-detail、*-summary 給客服人員看，稱「客戶」。
#
# 寫法：依台灣用語撰寫（帳戶、入金／出金、身分驗證、訂單編號、網路、資料），不是簡體版的
# 字形轉換；因果先行（「由於……，您的……」），不照搬英文語序。
# 排版：中文與數字、英文之間不加空格（「3/12個區塊確認」「TRON網路」），金額與幣別之間加
# 一個空格（「100 USDT」）；全形標點前後不加空格；日期不補零（2026年6月1日 14:58），
# 當地時間寫在前面（台灣時間 2026年6月1日 14:58）。預設時區為 Asia/Taipei（見 rules.toml）。
#
# 術語表：src/i18n/catalog_tests.rs 逐條檢查，規則同 zh-CN.ftl。
# 術語: reference → 訂單編號 | 交易序號 ≠ 參考號、參考編號、訂單號
# 術語: identity verification → 身分驗證 | 實名認證 ≠ 身份驗證、身份認證
# 術語: confirmations / block confirmation → 區塊確認 | 確認數 ≠ 確認次數
#   （客戶確認自己的申請不是區塊確認：本術語只管 confirmations / block confirmation。）
# 術語: credited → 入帳 ≠ 到賬、上賬、到帳
# 術語: deposit → 入金 ≠ 充值、存款
# 術語: withdrawal → 出金 ≠ 提現、提幣、取款
# 術語: your account → 您的帳戶 ≠ 賬戶、你的帳戶
# 術語: contact support → 聯絡客服 ≠ 聯系客服、聯繫客服、聯繫支援
# 術語: recovery → 找回 ≠ 恢復請求、恢復申請
# 術語: transaction hash → TxID ≠ 交易散列
# 術語: two-step verification → 兩步驟驗證 ≠ 二次驗證、兩步驗證
# 術語: longer than usual / delayed by → 造成您的不便，敬請見諒 ≠ 給您帶來不便
# 禁用: 攜帶、立案、信息、網絡、默認、視頻、軟件、質量、賬、敬請諒解

## 時間、時長與清單的寫法

# 精確到分鐘的時刻：$year、$month（month-* 詞）、$day、$hour、$minute（兩位數）。
format-moment = { $year }年{ $month }{ $day }日 { $hour }:{ $minute }
# 時刻所在時區：$zone 為 IANA 時區名稱（「/」換成「_」），$zone_name 依 format-zone-name 命名。
format-moment-in-zone = { $zone ->
    [Asia_Taipei] 台灣時間 { $moment }
    [Asia_Hong_Kong] 香港時間 { $moment }
    [Asia_Macau] 澳門時間 { $moment }
    [Asia_Shanghai] 北京時間 { $moment }
   *[other] { $moment }（{ $zone_name }）
}
# 沒有專名的時區寫 UTC 偏移（UTC+1、UTC-4）。
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
    [hours] { $n }小時
    [minutes] { $n }分鐘
   *[seconds] { $n }秒
}
duration-pair = { $larger }{ $smaller }

## 詞彙

kind-deposit = 入金
kind-withdrawal = 出金
kind-payment = 付款
kind-transfer = 轉帳

account-state-active = 正常
account-state-frozen = 凍結
account-state-restricted = 受限

freeze-reason-abnormal_login = 異常登入
freeze-reason-abnormal_activity = 異常活動審查
freeze-reason-identity_unverified = 尚未完成身分驗證或身分驗證已過期
freeze-reason-user_requested = 客戶本人申請凍結
freeze-reason-compliance_review = 法遵審查
freeze-reason-password_reset = 登入密碼重設
freeze-reason-two_factor_changed = 變更兩步驟驗證（2FA）
freeze-reason-new_device = 新裝置登入
freeze-reason-withdrawal_address_changed = 變更出金地址
freeze-reason-unspecified = 未記錄原因

failure-reason-insufficient_balance = 餘額不足
failure-reason-invalid_details = 資料有誤
failure-reason-limit_exceeded = 超過限額
failure-reason-issuer_declined = 客戶的銀行或發卡機構拒絕
failure-reason-risk_declined = 風控拒絕
failure-reason-expired = 訂單或報價已逾期
failure-reason-unspecified = 未記錄原因

value-none = 無
field-amount = 金額
field-asset = 幣別
field-network = 網路
field-destination = 收款地址
field-memo = Memo/標籤
field-paid_at = 付款時間
field-tx_hash = TxID（交易雜湊值）

maintenance-type-scheduled = 例行維護
maintenance-type-unplanned = 臨時故障

confirmation-method-email = 點選寄給客戶的電子郵件中的確認連結
confirmation-method-two_factor = 在App內輸入兩步驟驗證碼
confirmation-method-device = 在已信任裝置的App內

requested-information-originator_details = 匯款人資料（旅行規則）
requested-information-beneficiary_details = 收款人資料（旅行規則）
requested-information-source_of_funds = 資金來源證明

## 通用

rule-no-transaction = 未檢查：沒有可檢查的交易。

## ownership

ownership-requester = 此筆交易屬於查詢人本人的帳戶。
ownership-other = 此筆交易屬於其他帳戶（{ $owner }），不屬於查詢人：交易詳情不予顯示，客戶只會看到「查無此訂單編號」。

## not_found

not-found-exists = 此訂單編號的交易存在（建立於{ $created_at }）。
not-found-detail = 平台未收到訂單編號為{ $reference }的交易。
not-found-created-later = 截至診斷時間，訂單編號{ $reference }的交易尚不存在；該交易建立於之後的{ $created_at }。
not-found-summary = 請客戶核對訂單編號。這筆付款可能並未送達平台（例如送出時網路異常）；若款項已從客戶的銀行帳戶或錢包扣除，請客戶提供付款證明，並建立工單追蹤。
not-found-customer = 我們查無訂單編號為{ $reference }的付款，請確認訂單編號是否正確。若款項已從您的銀行帳戶或錢包扣除，請聯絡客服並提供付款證明（銀行對帳單或TxID）。

## unsupported_asset

unsupported-asset-not-deposit = 此筆交易不是入金（{ $kind }）：只有入金需要核對網路是否支援該幣別。
unsupported-asset-unlisted = { $network }網路未列出支援的幣別，視為支援所有幣別。
unsupported-asset-supported = { $network }網路支援{ $asset }。
unsupported-asset-detail = { $network }網路不支援{ $asset }（僅支援{ $supported }），因此此筆入金未入帳。
unsupported-asset-summary = 客戶透過{ $network }網路入金{ $asset }，但該網路僅支援{ $supported }：款項未入帳，只能人工找回，且不一定能找回。{ $action ->
    [contact_support] 請憑TxID與收款地址建立找回工單，並告知客戶能否找回。
   *[request_recovery] 請客戶憑TxID送出找回申請，不要承諾一定能找回。
}
unsupported-asset-customer = 由於我們暫不支援透過{ $network }網路入金{ $asset }，您這筆{ $amount } { $asset }的入金未能自動入帳。{ $action ->
    [contact_support] 請聯絡客服並提供交易雜湊值（TxID），我們會為您確認能否找回。
   *[request_recovery] 請在App內送出找回申請並附上交易雜湊值（TxID），我們會通知您能否找回。
}

## below_minimum

below-minimum-not-deposit = 此筆交易不是入金（{ $kind }），不適用最低入金金額。
below-minimum-none = { $network }網路未設定{ $asset }的最低入金金額。
below-minimum-met = { $amount } { $asset }已達到{ $network }網路{ $asset }的最低入金金額（{ $minimum } { $asset }）。
below-minimum-detail = 此筆入金{ $amount } { $asset }低於{ $network }網路的最低入金金額（{ $minimum } { $asset }），因此未自動入帳。
below-minimum-summary = { $amount } { $asset }低於{ $network }網路的最低入金金額（{ $minimum } { $asset }），未入帳。{ $action ->
    [request_recovery] 請客戶憑TxID送出找回申請；此類款項只能人工入帳。
   *[contact_support] 如平台可找回此類入金，請憑TxID建立找回工單，並告知客戶能否找回。
}
below-minimum-customer = 由於您入金的{ $amount } { $asset }低於{ $network }網路的最低入金金額（{ $minimum } { $asset }），這筆入金未能自動入帳。{ $action ->
    [request_recovery] 請在App內送出找回申請並附上交易雜湊值（TxID）。
   *[contact_support] 請聯絡客服並提供交易雜湊值（TxID），我們會為您確認能否找回。
}

## account_frozen

frozen-active = 帳戶狀態正常，沒有任何限制影響此筆交易。
frozen-other-kinds = 帳戶受限（{ $reason }），但不限制{ $kind }。
frozen-but-completed = 帳戶目前處於凍結或受限狀態（{ $reason }），但此筆交易在此之前已完成，不受影響。
frozen-after-failure = 帳戶自{ $since }起處於{ $state }狀態（{ $reason }），晚於此筆交易遭拒的時間，因此遭拒並非凍結所致。
frozen-detail = 帳戶自{ $since }起處於{ $state }狀態（{ $reason }），此筆{ $kind }因此暫停處理。
frozen-summary-verify = 由於{ $reason }，帳戶處於{ $state }狀態。客戶完成身分驗證後，交易將繼續處理。
frozen-summary-verify-failed = 由於{ $reason }，帳戶處於{ $state }狀態，此筆交易已遭拒絕。客戶須先完成身分驗證，再重新送出。
frozen-summary-user-requested = 帳戶應客戶本人要求處於{ $state }狀態。如需解除凍結，客戶須先確認身分。
frozen-summary-secure = 因{ $reason }，帳戶處於{ $state }狀態。客戶須重設密碼、開啟兩步驟驗證（2FA），再完成身分驗證。
frozen-summary-support = 帳戶處於{ $state }狀態（{ $reason }），只能由客服處理：請轉交審查團隊，且不要向客戶透露原因。
frozen-customer = { $reason ->
    [identity_unverified] 由於您的帳戶尚未完成身分驗證，您的{ $kind }已暫停處理。請在App內完成身分驗證，完成後{ $kind }將自動繼續。
    [user_requested] 由於您的帳戶已依您的申請凍結，您的{ $kind }已暫停處理。如需解除凍結，請在App內確認身分。
    [abnormal_login] 我們偵測到您的帳戶有異常登入，為保障資金安全，您的{ $kind }已暫停處理。請重設登入密碼、開啟兩步驟驗證（2FA），再重新完成身分驗證。
   *[review] 由於您的帳戶需要客服團隊審查，您的{ $kind }暫時無法處理，請聯絡客服。
}
frozen-customer-failed = { $reason ->
    [identity_unverified] 由於您的帳戶尚未完成身分驗證，您的{ $kind }未能完成。請在App內完成身分驗證後重新送出。
    [user_requested] 由於您的帳戶已依您的申請凍結，您的{ $kind }未能完成。如需解除凍結，請在App內確認身分後重新送出。
    [abnormal_login] 我們偵測到您的帳戶有異常登入，您的{ $kind }未能完成。請重設登入密碼、開啟兩步驟驗證（2FA）並重新完成身分驗證後再試一次。
   *[review] 由於您的帳戶需要客服團隊審查，您的{ $kind }未能完成，請聯絡客服。
}
frozen-holder = { $state ->
    [restricted] 帳戶限制
   *[frozen] 帳戶凍結
}
frozen-security-hold = 帳戶因{ $reason }處於安全保護期，並非凍結：請見安全保護期規則。


## security_hold

security-hold-none = 帳戶目前不在安全保護期內。
security-hold-other-kinds = 帳戶因{ $trigger }處於安全保護期{ $open ->
    [yes] （未記錄結束時間）
   *[no] （至{ $until }）
}，但保護期不限制{ $kind }。
security-hold-not-in-flight = 帳戶因{ $trigger }處於安全保護期{ $open ->
    [yes] （未記錄結束時間）
   *[no] （至{ $until }）
}，但此筆{ $kind }已不在處理中，不受影響。
security-hold-detail = 帳戶自{ $since }起因{ $trigger }處於安全保護期{ $open ->
    [yes] ，未記錄結束時間
   *[no] ，至{ $until }結束
}：保護期結束後此筆{ $kind }將繼續處理。
security-hold-holder = 安全保護期
security-hold-summary = { $open ->
    [yes] 帳戶因{ $trigger }處於安全保護期，未記錄結束時間：請向資安團隊確認何時結束。
   *[no] 請等到{ $until }：帳戶因{ $trigger }處於安全保護期，出金暫停，此筆{ $kind }將在保護期結束後自動繼續處理。
}請勿向客戶說明是哪一項變更。如客戶表示並非本人操作，請視為帳戶遭盜用並轉交資安團隊。
security-hold-customer = 由於您的帳戶近期變更了安全設定，為保障您的資金安全，您的帳戶{ $kind }功能將暫停{ $open ->
    [yes] 一段時間
   *[no] 至{ $until }
}。屆時您這筆{ $kind }會自動繼續處理，您無須任何操作。如非本人操作，請立即聯絡客服。

## rejected

rejected-not-failed = 此筆交易未遭拒絕。
rejected-detail = 此筆{ $kind }已遭拒絕：{ $reason }。
rejected-summary = 已拒絕（{ $reason }）：{ $amount } { $asset }。{ $code ->
    [insufficient_balance] 客戶須補足餘額（含手續費）後重新送出。
    [invalid_details] 客戶須更正資料後重新送出。
    [limit_exceeded] 客戶須在限額內（或提高限額後）重新送出。
    [expired] 客戶須重新下單，並在訂單逾期前付款。
    [expired_paid_late] 款項在訂單逾期後才入帳，未能自動對應訂單。須由客服退款或手動處理；請提醒客戶不要重複付款。
    [issuer_declined] 客戶的銀行或發卡機構拒絕了此筆交易，且未告知平台原因：請客戶向其銀行詢問原因（或改用其他卡片、帳戶），再重新送出。
   *[other] 須由客服審查。
}
rejected-customer = { $reason ->
    [insufficient_balance] 由於餘額不足以支付金額及手續費，您的{ $kind }未能成功。請補足餘額後再試一次。
    [invalid_details] 由於部分資料有誤，您的{ $kind }未能成功。請核對資料後再試一次。
    [limit_exceeded] 由於金額超過您的帳戶限額，您的{ $kind }未能成功。請降低金額後再試一次，或聯絡客服了解限額。
    [expired] 由於訂單在款項入帳前已逾期，您的{ $kind }未能成功。請重新下單後再付款。
    [expired_paid_late] 您的{ $kind }在訂單逾期後才入帳，因此無法自動處理。請勿重複付款，並聯絡客服，我們將為您退款或將款項用於新訂單。
    [issuer_declined] 您的{ $kind }遭您的銀行或發卡機構拒絕。請向您的銀行詢問原因，或改用其他卡片、帳戶再試一次。
   *[other] 您的{ $kind }未能完成，請聯絡客服了解詳情。
}

## awaiting_customer_confirmation

awaiting-confirmation-none = 沒有等待客戶確認的申請。
awaiting-confirmation-not-pending = 曾要求客戶確認，但此筆交易已不是待處理狀態，不再等待確認。
awaiting-confirmation-detail = 此筆{ $kind }正在等待客戶{ $method }確認；確認前不會送出，{ $expires_at }前未確認即失效。
awaiting-confirmation-lapsed-detail = 客戶未在{ $expires_at }前{ $method }確認此筆{ $kind }，申請已失效，款項未送出。
awaiting-confirmation-summary = 請提醒客戶在{ $expires_at }前{ $method }確認這筆{ $amount } { $asset }的{ $kind }。確認前不會送出；逾期申請失效，須重新送出。
awaiting-confirmation-lapsed-summary = 這筆{ $amount } { $asset }的{ $kind }在{ $expires_at }前未確認，申請已失效，款項未送出：客戶須重新送出，並{ $method }完成確認。
awaiting-confirmation-customer = 您的{ $amount } { $asset }{ $kind }申請正在等待您確認。請在{ $expires_at }前{ $code ->
    [email] 點選我們寄給您的電子郵件中的確認連結
    [two_factor] 在App內輸入兩步驟驗證碼
   *[device] 在您已信任裝置的App內
}完成確認。確認前款項不會送出；逾期未確認，申請將自動取消，須重新送出。
awaiting-confirmation-lapsed-customer = 由於您的{ $amount } { $asset }{ $kind }申請未在{ $expires_at }前確認，申請已自動取消，款項未送出。請重新送出，並{ $code ->
    [email] 點選電子郵件中的確認連結
    [two_factor] 在App內輸入兩步驟驗證碼
   *[device] 在您已信任裝置的App內
}完成確認。

## information_required

information-none = 沒有需要客戶補充的資料。
information-requested-later = 資料補充請求在之後的{ $requested_at }才送出：當時交易尚未因此暫停。
information-not-in-flight = 曾要求客戶補充資料，但此筆交易已不在處理中，不再因此暫停。
information-detail = 交易暫停處理，等待客戶補充{ $items }（請求送出於{ $requested_at }）。
information-summary = 請客戶透過App內的請求或{ $requested_at }寄出的電子郵件補充{ $items }；補充前此筆{ $kind }將持續暫停。只告知客戶「需要您補充一些資料」，切勿提及審查、旅行規則或洗錢防制檢查。
information-customer = 由於我們需要您補充一些資料，您的{ $amount } { $asset }{ $kind }暫未處理。請在App內或透過我們寄給您的電子郵件開啟資料補充請求並填寫完整，我們收到後會繼續為您處理這筆{ $kind }。
information-holder = 資料補充請求

## input_mismatch

mismatch-none = 交易與訂單要求及客戶所述一致。
mismatch-expected-item = { $field }：應為{ $wanted }，實際為{ $got }
mismatch-claim-item = { $field }：客戶表示為{ $wanted }，紀錄為{ $got }
mismatch-memo-required-item = { $field }：此網路必須填寫，實際為{ $got }
mismatch-expected-item-customer = { $field }：應為{ $wanted }，實際送出的是{ $got }
mismatch-memo-required-item-customer = { $field }：此網路必須填寫，但您未填寫
mismatch-claim-item-customer = { $field }：您提供的是{ $wanted }，我們的紀錄為{ $got }
mismatch-expected-detail = 交易與訂單要求不符：{ $diffs }。
mismatch-claim-detail = 客戶所述與紀錄不符：{ $diffs }。
mismatch-summary-recovery = 款項送出時資料有誤（{ $diffs }），此類款項不會自動入帳。請客戶提交找回申請。
mismatch-summary-support = 交易與訂單不符（{ $diffs }），須由客服與客戶協調處理差額。
mismatch-summary-claim = 客戶可能看錯付款紀錄或輸入有誤（{ $diffs }）。請客戶核對訂單編號與付款資料。
mismatch-customer-recovery = 由於您的{ $kind }送出時填寫的資料與要求不符（{ $diffs }），款項無法自動入帳。請在App內提交找回申請。
mismatch-customer-support = 您的{ $kind }與訂單資料不符（{ $diffs }），請聯絡客服處理差額。
mismatch-customer-claim = 您提供的資料與我們這筆付款的紀錄不符（{ $diffs }）。請確認此訂單編號是否對應您要查詢的付款。

## maintenance

maintenance-completed = 交易已完成，不受維護影響。
maintenance-arrived = 交易已送達{ $network }，不再受維護影響。
maintenance-holder = { $network }網路{ $type }
maintenance-none = { $network }網路目前沒有影響此筆交易的維護。
maintenance-claim-none = 客戶表示於{ $paid_at }付款，當時{ $network }網路沒有進行中的維護。
maintenance-detail = { $network }網路因{ $type }（「{ $title }」，始於{ $starts_at }）出現延遲；{ $open ->
    [yes] 結束時間尚未公布。
   *[no] 積壓交易預計於{ $clears_at }前處理完畢。
}
maintenance-claim-detail = 客戶表示於{ $paid_at }透過{ $network }網路付款，當時正值{ $type }（「{ $title }」，始於{ $starts_at }），這筆付款可能仍在排隊。{ $open ->
    [yes] 結束時間尚未公布。
   *[no] 積壓交易預計於{ $clears_at }前處理完畢。
}
maintenance-summary = 請等候：{ $type }「{ $title }」正在影響交易處理。{ $open ->
    [yes] 結束時間尚未公布，請於{ $recheck_at }再次查看。
   *[no] 積壓交易預計於{ $clears_at }前處理完畢。
}
maintenance-customer = 受{ $type }影響，{ $network }網路的交易出現延遲，造成您的不便，敬請見諒。{ $open ->
    [yes] 請放心，您的資金安全無虞，網路恢復後我們會第一時間處理。
   *[no] 請放心，您的資金安全無虞，預計於{ $clears_at }前完成。
}
maintenance-claim-summary = 平台尚未收到此訂單編號的交易，但客戶是在{ $type }（「{ $title }」）期間透過{ $network }網路付款，這筆付款可能仍在排隊。請向客戶索取TxID。{ $open ->
    [yes] 結束時間尚未公布，請於{ $recheck_at }再次查看。
   *[no] 若積壓於{ $clears_at }處理完畢後仍未入帳，請憑TxID建立工單。
}
maintenance-claim-customer = 我們尚未收到這筆付款。受{ $type }影響，{ $network }網路的付款出現延遲，您的款項可能仍在途中，造成您的不便，敬請見諒。{ $open ->
    [yes] 若網路恢復後仍未入帳，請聯絡客服並提供TxID（交易雜湊值）。
   *[no] 若{ $clears_at }前仍未入帳，請聯絡客服並提供TxID（交易雜湊值）。
}

## confirmation_stalled 與 confirmation_delay

confirmation-not-in-flight = 此筆交易已不在等待區塊確認。
stalled-within-bound = 已等候{ $age }，仍在{ $network }網路的停滯判定時限內。
stalled-held = { $network }網路維護中，處理暫停至{ $resumes }：停滯計時從恢復處理時開始。
stalled-held-open = { $network }網路維護中，結束時間尚未公布：停滯計時從恢復處理時開始。
stalled-not-started = { $business_days ->
    [yes] { $network }只計算工作天：等候時間從{ $since }起算，目前不會判定為停滯。
   *[no] 等候時間從{ $since }起算，時間尚短，不會判定為停滯。
}
stalled-paused = 自{ $held_since }起因{ $holder }暫停處理：暫停期間不計等候時間{ $waited ->
    [yes] （此前已等候{ $age }）
   *[no] {""}
}，解除前不會判定為停滯。
stalled-detail = 已等候{ $age }，超過{ $stall_after }（{ $network }預計需要{ $expected_time }{ $fallback ->
    [yes] ；{ $network }沒有專屬策略，採用預設策略
   *[no] {""}
}）。{ $rail ->
    [yes] 處理尚未完成。
   *[no] 目前確認數為{ $confirmations }/{ $required }。
}
stalled-summary = 請通報營運團隊：此筆交易已等候{ $age }，而{ $network }通常只需{ $expected_time }。
stalled-customer = 您的{ $kind }處理時間比平常久，我們已請營運團隊協助處理，有進度會立即通知您。造成您的不便，敬請見諒。
delay-beyond-bound = 已等候{ $age }，超過{ $network }的預計時間：請見停滯規則。
delay-detail = { $rail ->
    [yes] { $network }處理通常需要{ $expected_time }
   *[no] { $network }網路已有{ $confirmations }/{ $required }個區塊確認，全部確認通常需要{ $expected_time }
}{ $congested ->
    [yes] （壅塞係數×{ $congestion }）
   *[no] {""}
}{ $fallback ->
    [yes] （預設策略：{ $network }沒有專屬策略）
   *[no] {""}
}。預計於{ $done }前完成。
delay-summary = 請等候至{ $done }：{ $rail ->
    [yes] { $network }處理需要{ $expected_time }。
   *[no] 目前確認數為{ $confirmations }/{ $required }。
}
delay-customer = 您的{ $amount } { $asset }{ $kind }{ $rail ->
    [yes] 正由{ $network }處理中
   *[no] 正在等待{ $network }網路區塊確認（{ $confirmations }/{ $required }）
}，預計於{ $done }前入帳。
delay-overdue-detail = 已等候{ $age }，超過{ $network }預計的{ $expected_time }{ $rail ->
    [yes] {""}
   *[no] （目前確認數為{ $confirmations }/{ $required }）
}，但仍在停滯判定時限內：自{ $stalls_at }起視為停滯。
delay-overdue-summary = 請等候至{ $stalls_at }：此筆交易在{ $network }上耗時超出預期，但尚未停滯。若屆時仍未完成，請通報。
delay-overdue-customer = 您的{ $amount } { $asset }{ $kind }在{ $network }上的處理時間比平常久，造成您的不便，敬請見諒。您不需要進行任何操作；若{ $stalls_at }前仍未完成，我們會主動追蹤。
delay-held-detail = { $rail ->
    [yes] { $network }處理通常需要{ $expected_time }
   *[no] { $network }網路已有{ $confirmations }/{ $required }個區塊確認，全部確認通常需要{ $expected_time }
}，自解除暫停後起算：自{ $held_since }起因{ $holder }暫停處理，因此無法提供完成時間。
delay-held-summary = 請勿向客戶承諾完成時間：交易因{ $holder }暫停處理。解除後，{ $network }通常需要{ $expected_time }。
delay-held-customer = 您的{ $amount } { $asset }{ $kind }目前暫停處理，解除後將繼續；在此之前我們暫時無法告知入帳時間。

## no_incident

no-incident-not-completed = 此筆交易尚未完成。
no-incident-not-credited = 這筆{ $amount } { $asset }{ $kind }已於{ $arrived }送達{ $network }，但尚未入帳至客戶帳戶。
no-incident-other-causes = 並非無異常：另有原因可解釋此筆交易（請見已符合的檢查結果）。
no-incident-detail = { $network }上的這筆{ $amount } { $asset }{ $kind }已於{ $done }完成。
no-incident-summary = 無需處理：{ $amount } { $asset }（{ $kind }）已於{ $done }完成。{ $outgoing ->
    [yes] 若客戶反映對方未收到，請告知證據中的收款地址，並請客戶向收款方錢包、銀行或交易所確認。
   *[no] {""}
}
no-incident-customer = 您的{ $amount } { $asset }{ $kind }已於{ $done }完成。{ $outgoing ->
    [yes] 若對方尚未收到，請先向收款錢包、銀行或交易所確認（部分平台需填寫Memo/標籤才能入帳），再聯絡我們並提供您使用的收款地址。
   *[no] {""}
}

## undetermined

undetermined-summary = 沒有規則能解釋此筆交易。請將檢查結果一併通報營運團隊。
undetermined-customer = 我們正在查核您的交易，有結果會盡快通知您。

## 下一步：客戶在哪裡、多久能收到回覆
# 客服或營運需要處理下一步時，附在客戶訊息之後。

customer-with-reply = { $message }{ $reply }
reply-expected = { $channel ->
    [email] 客服將在{ $within }內以電子郵件回覆您。
    [in_app_chat] 客服將在{ $within }內透過App線上客服回覆您。
    [hotline] 撥打客服專線後，客服將在{ $within }內為您接聽。
   *[in_app_form] 客服將在{ $within }內處理您的申請並回覆您。
}
reply-within = { $to }{ $unit ->
    [business_days] 個工作天
    [days] 天
    [hours] 小時
   *[minutes] 分鐘
}
reply-within-range = { $from }至{ $to }{ $unit ->
    [business_days] 個工作天
    [days] 天
    [hours] 小時
   *[minutes] 分鐘
}

## TriageTicket 回覆

triage-reply-greeting = 您好：
triage-reply-closing = 如還有任何疑問，直接回覆這封信即可，我們會繼續為您處理。
triage-reply-item = 關於{ $reference }：{ $message }
triage-needs-info =
    感謝您與我們聯絡。我們目前查不到您詢問的這筆付款，為了盡快協助您確認，請回覆以下資料：
    { $items }
    收到後我們會立即查詢，並告知您這筆付款的最新進度。
missing-reference-or-tx-hash = 這筆付款的訂單編號或TxID（交易雜湊值）
missing-payment-time = 付款的日期與時間
missing-amount = 付款金額及幣別
missing-network = 使用的網路（例如TRC20、ERC20、BEP20），若為銀行轉帳請註明轉帳方式
missing-payment-screenshot = 錢包或網路銀行中這筆付款的截圖
missing-transaction-reference = 這筆交易的訂單編號
missing-tx-hash = 這筆付款的TxID（交易雜湊值）
missing-destination-address = 您轉入的收款地址或收款帳戶
missing-memo = 您填寫的Memo/標籤（如有）
missing-bank-statement = 顯示這筆付款的銀行對帳單
missing-identity-document = 帳戶持有人的身分證件
