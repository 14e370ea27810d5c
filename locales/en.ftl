# paydiag messages, English.
#
# Ids are used by the rule engine; every locale defines the same ids (a test checks it).
# Words (kind-*, freeze-reason-*, …) are vocabulary that messages receive already rendered.
# Agent-facing texts (*-detail, *-summary) may name internal reasons; *-customer texts are
# forwarded to customers verbatim and never do, and call the customer's account "your account",
# never by its id.
# Every catalog writes moments, durations and lists its own way (see "How this locale writes");
# a moment names the zone it is shown in.

## How this locale writes moments, durations and lists

# A moment to the minute: $year, $month (its month-* word), $day, $hour and $minute (two digits).
format-moment = { $day } { $month } { $year }, { $hour }:{ $minute }
# The moment in the reader's zone: $zone is the zone's IANA name with _ for / (Asia_Shanghai,
# UTC), $zone_name the zone named as format-zone-name says. The time zone database calls
# Beijing's, Taipei's and Macau's time CST, which readers elsewhere take for US Central time.
format-moment-in-zone = { $zone ->
    [Asia_Shanghai] { $moment } Beijing time
    [Asia_Taipei] { $moment } Taiwan time
    [Asia_Macau] { $moment } Macau time
   *[other] { $moment } { $zone_name }
}
# How a zone format-moment-in-zone has no words for is named: "abbreviation" (CET, EDT, where
# the time zone database has one, else the offset) or "offset" (UTC+1, UTC-4, UTC+5:30).
format-zone-name = abbreviation
format-list-separator = {"; "}
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# A span of time in whole $n of one $unit; the two most significant units are shown as a pair.
duration-unit = { $unit ->
    [days] { $n } d
    [hours] { $n } h
    [minutes] { $n } min
   *[seconds] { $n } s
}
duration-pair = { $larger } { $smaller }

## Vocabulary

kind-deposit = deposit
kind-withdrawal = withdrawal
kind-payment = payment
kind-transfer = transfer

account-state-active = active
account-state-frozen = frozen
account-state-restricted = restricted

freeze-reason-abnormal_login = an unusual sign-in
freeze-reason-abnormal_activity = unusual activity under review
freeze-reason-identity_unverified = identity verification is missing or expired
freeze-reason-user_requested = the customer asked for the freeze
freeze-reason-compliance_review = a compliance review
freeze-reason-password_reset = a password reset
freeze-reason-two_factor_changed = a change of two-step verification
freeze-reason-new_device = a sign-in from a new device
freeze-reason-withdrawal_address_changed = a change of withdrawal address
freeze-reason-unspecified = no recorded reason

failure-reason-insufficient_balance = insufficient balance
failure-reason-invalid_details = invalid details
failure-reason-limit_exceeded = a limit was exceeded
failure-reason-risk_declined = declined by risk controls
failure-reason-expired = the order or quote expired
failure-reason-issuer_declined = declined by the customer's bank or card issuer
failure-reason-unspecified = no recorded reason

confirmation-method-email = by the link in the e-mail sent to them
confirmation-method-two_factor = with a two-step verification code in the app
confirmation-method-device = in the app on a trusted device

requested-information-originator_details = the details of who sent the funds (travel rule)
requested-information-beneficiary_details = the details of who receives the funds (travel rule)
requested-information-source_of_funds = proof of the source of funds

value-none = none
field-amount = amount
field-asset = asset
field-network = network
field-destination = destination
field-memo = memo/tag
field-paid_at = payment time
field-tx_hash = transaction hash (TxID)

maintenance-type-scheduled = scheduled maintenance
maintenance-type-unplanned = an unplanned outage

## Shared

rule-no-transaction = Not checked: there is no transaction to check.

## ownership

ownership-requester = The transaction belongs to the requester's account.
ownership-other = The transaction belongs to another account ({ $owner }), not the requester's: it is withheld, and the customer is told the reference is unknown.

## not_found

not-found-exists = A transaction with this reference exists (created { $created_at }).
not-found-detail = No transaction with reference { $reference } has reached the platform.
not-found-created-later = No transaction with reference { $reference } existed at the evaluation time; it was created later, at { $created_at }.
not-found-summary = Ask the customer to check the reference. The payment may never have reached the platform (for example, a network failure when it was submitted); if money left their bank or wallet, ask for proof of payment and open a case.
not-found-customer = We could not find a payment with reference { $reference }. Please check the reference. If money has left your bank account or wallet, contact support with proof of payment (a bank statement or transaction hash).

## unsupported_asset

unsupported-asset-not-deposit = Not a deposit ({ $kind }): only deposits are checked against the assets a network takes.
unsupported-asset-unlisted = { $network } lists no assets, so every asset is taken.
unsupported-asset-supported = { $asset } is taken on { $network }.
unsupported-asset-detail = { $asset } is not taken on { $network } (it takes only { $supported }), so the deposit was not credited.
unsupported-asset-summary = The customer deposited { $asset } on { $network }, which takes only { $supported }: the funds were not credited and can only be recovered by hand, if at all. { $action ->
    [contact_support] Open a recovery case with the TxID and the address it was sent to, and tell the customer whether it can be done.
   *[request_recovery] The customer should file a recovery request with the TxID; do not promise that it will succeed.
}
unsupported-asset-customer = Your deposit of { $amount } { $asset } was sent on { $network }, where we do not support { $asset }, so it could not be credited automatically. { $action ->
    [contact_support] Please contact support with the transaction hash (TxID), and we will check whether it can be recovered.
   *[request_recovery] Please submit a recovery request in the app with the transaction hash (TxID); we will let you know whether it can be recovered.
}

## below_minimum

below-minimum-not-deposit = Not a deposit ({ $kind }): deposit minimums do not apply.
below-minimum-none = No minimum deposit is set for { $asset } on { $network }.
below-minimum-met = { $amount } { $asset } meets the minimum deposit of { $minimum } { $asset } on { $network }.
below-minimum-detail = The deposit of { $amount } { $asset } is below the minimum deposit of { $minimum } { $asset } on { $network }, so it was not credited automatically.
below-minimum-summary = { $amount } { $asset } is below the { $minimum } { $asset } minimum on { $network } and was not credited. { $action ->
    [request_recovery] The customer should file a recovery request with the TxID; the funds can only be credited by hand.
   *[contact_support] Open a recovery case with the TxID where the platform recovers such deposits, and tell the customer whether it can be done.
}
below-minimum-customer = Your deposit of { $amount } { $asset } is below the minimum deposit of { $minimum } { $asset } on { $network }, so it could not be credited automatically. { $action ->
    [request_recovery] Please submit a recovery request in the app with the transaction hash (TxID).
   *[contact_support] Please contact support with the transaction hash (TxID), and we will check whether it can be recovered.
}

## account_frozen

frozen-active = The account is active: nothing blocks this transaction.
frozen-other-kinds = The account is restricted ({ $reason }), but not for { $kind }s.
frozen-security-hold = The account is under a security hold after { $reason }, not a freeze: see the security hold rule.
frozen-but-completed = The account is now frozen or restricted ({ $reason }), but this transaction had already completed, so it was not blocked.
frozen-after-failure = The account is { $state } since { $since } ({ $reason }), after this transaction was rejected: the freeze did not cause the rejection.
frozen-detail = The account is { $state } since { $since } ({ $reason }), which blocks this { $kind }.
frozen-summary-verify = The account is { $state } because { $reason }. The customer must complete identity verification; the transaction then continues.
frozen-summary-verify-failed = The account is { $state } because { $reason }, and the transaction was rejected. The customer must complete identity verification, then submit it again.
frozen-summary-user-requested = The account is { $state } at the customer's request. To lift the freeze, the customer must confirm their identity.
frozen-summary-secure = The account is { $state } after { $reason }. The customer must reset the password, turn on two-step verification, then verify their identity.
frozen-summary-support = The account is { $state } ({ $reason }). Only support can resolve this: hand the case to the review team and do not tell the customer the reason.
frozen-customer = { $reason ->
    [identity_unverified] Your { $kind } is on hold because your account needs identity verification. Please complete verification in the app; the { $kind } will then continue.
    [user_requested] Your { $kind } is on hold because your account is frozen at your request. To lift the freeze, please confirm your identity in the app.
    [abnormal_login] Your { $kind } is on hold because we noticed an unusual sign-in to your account. Please reset your password, turn on two-step verification, then verify your identity.
   *[review] Your { $kind } is on hold because your account needs a review by our support team. Please contact support.
}
frozen-customer-failed = { $reason ->
    [identity_unverified] Your { $kind } could not go through because your account needs identity verification. Please complete verification in the app, then try again.
    [user_requested] Your { $kind } could not go through because your account is frozen at your request. To lift the freeze, please confirm your identity in the app, then try again.
    [abnormal_login] Your { $kind } could not go through because we noticed an unusual sign-in to your account. Please reset your password, turn on two-step verification and verify your identity, then try again.
   *[review] Your { $kind } could not go through because your account needs a review by our support team. Please contact support.
}
frozen-holder = { $state ->
    [restricted] the account restriction
   *[frozen] the account freeze
}

## security_hold

security-hold-none = No security hold is in force.
security-hold-other-kinds = A security hold after { $trigger } is in force { $open ->
    [yes] with no recorded end
   *[no] until { $until }
}, but it does not hold { $kind }s.
security-hold-not-in-flight = A security hold after { $trigger } is in force { $open ->
    [yes] with no recorded end
   *[no] until { $until }
}, but this { $kind } is no longer waiting, so the hold does not hold it.
security-hold-detail = Held by a security hold after { $trigger } (since { $since }){ $open ->
    [yes] , with no recorded end
   *[no] {" "}until { $until }
}: the { $kind } continues when the hold ends.
security-hold-holder = the security hold
security-hold-summary = { $open ->
    [yes] Security hold after { $trigger } with no recorded end: ask the security team when it ends.
   *[no] Wait until { $until }: withdrawals are held for security after { $trigger }, and the { $kind } continues when the hold ends.
} Do not name the change to the customer. If they say they did not make it, treat the account as taken over and escalate to the security team.
security-hold-customer = For your security, { $kind }s from your account are paused { $open ->
    [yes] for a while
   *[no] until { $until }
} after a recent change to your account's security settings. Your { $kind } will continue by itself once the pause ends; you do not need to do anything. If you did not make this change, please contact support right away.

## rejected

rejected-not-failed = The transaction was not rejected.
rejected-detail = The { $kind } was rejected: { $reason }.
rejected-summary = Rejected ({ $reason }): { $amount } { $asset }. { $code ->
    [insufficient_balance] The customer should add funds (including fees) and submit again.
    [invalid_details] The customer should correct the details and submit again.
    [limit_exceeded] The customer should stay within the limit (or raise it) and submit again.
    [expired] The customer should start a new order and pay before it expires.
    [expired_paid_late] The funds arrived after the order expired, so they were not applied. Support must refund them or apply them by hand; the customer must not pay again.
    [issuer_declined] The customer's bank or card issuer declined it and gave the platform no reason: the customer should ask their bank why (or use another card or account), then submit again.
   *[other] Support must review it.
}
rejected-customer = { $reason ->
    [insufficient_balance] Your { $kind } was declined because the balance was not enough to cover it, including fees. Please top up and try again.
    [invalid_details] Your { $kind } was declined because some details were invalid. Please check the details and try again.
    [limit_exceeded] Your { $kind } was declined because it exceeds a limit on your account. Please try a smaller amount or contact support about your limits.
    [expired] Your { $kind } was declined because the order expired before payment arrived. Please start a new order and try again.
    [expired_paid_late] Your { $kind } arrived after the order expired, so it could not be applied automatically. Please do not pay again: contact support and we will refund it or apply it to a new order.
    [issuer_declined] Your { $kind } was declined by your bank or card issuer. Please ask your bank why, or try again with another card or account.
   *[other] Your { $kind } could not be completed. Please contact support for details.
}

## awaiting_customer_confirmation

awaiting-confirmation-none = Nothing waits for the customer's confirmation.
awaiting-confirmation-not-pending = A confirmation was asked for, but the transaction is past pending: it no longer waits for it.
awaiting-confirmation-detail = The { $kind } waits for the customer to confirm it { $method }; nothing is sent until they do, and it lapses unconfirmed at { $expires_at }.
awaiting-confirmation-lapsed-detail = The { $kind } was not confirmed { $method } by { $expires_at }: the request lapsed and is void. Nothing was sent.
awaiting-confirmation-summary = Ask the customer to confirm the { $kind } of { $amount } { $asset } { $method } before { $expires_at }. Nothing is sent until then; after it the request is void and must be made again.
awaiting-confirmation-lapsed-summary = The { $kind } of { $amount } { $asset } lapsed unconfirmed at { $expires_at } and nothing was sent: the customer must submit it again and confirm it { $method }.
awaiting-confirmation-customer = Your { $kind } of { $amount } { $asset } is waiting for your confirmation. Please confirm it { $code ->
    [email] with the link in the e-mail we sent you
    [two_factor] in the app with your two-step verification code
   *[device] in the app on your trusted device
} before { $expires_at }. Until then nothing is sent; if it is not confirmed by then, the request is cancelled and you will need to submit it again.
awaiting-confirmation-lapsed-customer = Your { $kind } of { $amount } { $asset } was not confirmed by { $expires_at }, so the request was cancelled and nothing was sent. Please submit it again and confirm it { $code ->
    [email] with the link in the e-mail we send you
    [two_factor] in the app with your two-step verification code
   *[device] in the app on your trusted device
}.

## information_required

information-none = Nothing is asked of the customer.
information-requested-later = Information was asked for later, at { $requested_at }: the transaction was not held for it yet.
information-not-in-flight = Information was asked for, but the transaction is no longer in flight, so it is not held for it.
information-detail = Held until the customer provides { $items } (asked for at { $requested_at }).
information-summary = Ask the customer to provide { $items } through the request in the app or the e-mail sent at { $requested_at }; the { $kind } stays held until they do. Tell them only that we need some information from them: never mention a review, the travel rule or anti-money-laundering checks.
information-customer = Your { $kind } of { $amount } { $asset } is on hold because we need some information from you. Please open the request we sent you in the app or by e-mail and complete it; your { $kind } will continue once we have it.
information-holder = the request for information

## input_mismatch

mismatch-none = The transaction matches what was asked for and what the customer claims.
mismatch-expected-item = { $field }: asked for { $wanted }, sent { $got }
mismatch-claim-item = { $field }: customer says { $wanted }, record shows { $got }
mismatch-memo-required-item = { $field }: required on this network, sent { $got }
mismatch-expected-item-customer = { $field }: { $wanted } was required, { $got } was sent
mismatch-memo-required-item-customer = { $field }: required on this network, but none was sent
mismatch-claim-item-customer = { $field }: you told us { $wanted }, our record shows { $got }
mismatch-expected-detail = The transaction differs from what was asked for: { $diffs }.
mismatch-claim-detail = The customer's claim differs from the record: { $diffs }.
mismatch-summary-recovery = Funds were sent with the wrong details ({ $diffs }). The customer should file a recovery request; funds sent this way are not credited automatically.
mismatch-summary-support = The transaction does not match the order ({ $diffs }). Support must settle the difference with the customer.
mismatch-summary-claim = The customer may be looking at another payment, or mistyped ({ $diffs }). Ask them to check the reference and the payment details.
mismatch-customer-recovery = Your { $kind } was sent with details that differ from what was required ({ $diffs }), so it could not be credited automatically. Please submit a recovery request in the app.
mismatch-customer-support = Your { $kind } does not match the order ({ $diffs }). Please contact support to settle the difference.
mismatch-customer-claim = The details you gave differ from our record of this payment ({ $diffs }). Please check that the reference belongs to the payment you mean.

## maintenance

maintenance-completed = The transaction completed, so no maintenance holds it up.
maintenance-arrived = The transaction has arrived on { $network }, so no maintenance holds it up.
maintenance-holder = { $type } on { $network }
maintenance-none = No maintenance on { $network } holds this transaction up.
maintenance-claim-none = No maintenance on { $network } was under way at { $paid_at }, when the customer says they paid.
maintenance-detail = Held up by { $type } on { $network } ("{ $title }", since { $starts_at }); { $open ->
    [yes] its end is not announced yet.
   *[no] the backlog should clear by { $clears_at }.
}
maintenance-claim-detail = The customer says they paid on { $network } at { $paid_at }, during { $type } ("{ $title }", since { $starts_at }); the payment may still be queued. { $open ->
    [yes] Its end is not announced yet.
   *[no] The backlog should clear by { $clears_at }.
}
maintenance-summary = Wait: { $type } "{ $title }" is holding transactions. { $open ->
    [yes] No end is announced; check again at { $recheck_at }.
   *[no] The backlog should clear by { $clears_at }.
}
maintenance-customer = Transactions on { $network } are delayed by { $type }. { $open ->
    [yes] Your funds are safe; we will process the transaction as soon as the network is back.
   *[no] Your funds are safe; we expect it to complete by { $clears_at }.
}
maintenance-claim-summary = No transaction with this reference has reached the platform yet, but the customer paid on { $network } during { $type } ("{ $title }"), so the payment may still be queued. Ask for the transaction hash. { $open ->
    [yes] No end is announced; check again at { $recheck_at }.
   *[no] If it has not arrived once the backlog clears at { $clears_at }, open a case with the hash.
}
maintenance-claim-customer = We have not received this payment yet. Payments on { $network } are delayed by { $type }, and yours may still be on its way. { $open ->
    [yes] If it has not been credited once the network is back, please contact support with the transaction hash.
   *[no] If it has not been credited by { $clears_at }, please contact support with the transaction hash.
}
## confirmation_stalled and confirmation_delay

confirmation-not-in-flight = The transaction is no longer waiting for confirmations.
stalled-within-bound = Waiting for { $age }, within the stall bound on { $network }.
stalled-held = Held up by maintenance on { $network } until { $resumes }: the stall clock starts when processing resumes.
stalled-held-open = Held up by maintenance on { $network } with no announced end: the stall clock starts when processing resumes.
stalled-not-started = { $business_days ->
    [yes] { $network } counts business days only: waiting is counted from { $since }, so it cannot have stalled yet.
   *[no] Waiting is counted from { $since }: too recent to have stalled.
}
stalled-paused = Held by { $holder } since { $held_since }: waiting is not counted while the hold lasts{ $waited ->
    [yes] {" "}(it had waited { $age } before)
   *[no] {""}
}, so it cannot stall before the hold is lifted.
stalled-detail = Waiting for { $age }, more than { $stall_after } ({ $expected_time } expected on { $network }{ $fallback ->
    [yes] , using the fallback policy because { $network } has no policy of its own
   *[no] {""}
}). { $rail ->
    [yes] Processing has not finished.
   *[no] { $confirmations } of { $required } confirmations so far.
}
stalled-summary = Escalate to operations: the transaction has been waiting for { $age } where { $expected_time } is expected on { $network }.
stalled-customer = Your { $kind } is taking longer than usual. We have asked our operations team to look into it and will update you.
delay-beyond-bound = Waiting for { $age }, beyond the time expected on { $network }: see the stalled rule.
delay-detail = { $rail ->
    [yes] Processing on { $network } normally takes { $expected_time }
   *[no] { $confirmations } of { $required } confirmations on { $network }; all { $required } normally take { $expected_time }
}{ $congested ->
    [yes] {" "}(congestion ×{ $congestion })
   *[no] {""}
}{ $fallback ->
    [yes] {" "}(fallback policy: { $network } has no policy of its own)
   *[no] {""}
}. Expected by { $done }.
delay-summary = Wait until { $done }: { $rail ->
    [yes] { $network } processing takes { $expected_time }.
   *[no] { $confirmations } of { $required } confirmations so far.
}
delay-customer = Your { $kind } of { $amount } { $asset } is { $rail ->
    [yes] being processed by { $network }
   *[no] waiting for network confirmations on { $network } ({ $confirmations } of { $required })
}. We expect it to complete by { $done }.
delay-overdue-detail = Waiting for { $age }, longer than the { $expected_time } expected on { $network }{ $rail ->
    [yes] {""}
   *[no] {" "}({ $confirmations } of { $required } confirmations)
}, but within the stall bound: it counts as stalled from { $stalls_at }.
delay-overdue-summary = Wait until { $stalls_at }: the transaction is taking longer than expected on { $network } but has not stalled. If it has not completed by then, escalate.
delay-overdue-customer = Your { $kind } of { $amount } { $asset } is taking longer than usual on { $network }. No action is needed from you; if it has not completed by { $stalls_at }, we will look into it.
delay-held-detail = { $rail ->
    [yes] Processing on { $network } normally takes { $expected_time }
   *[no] { $confirmations } of { $required } confirmations on { $network }; all { $required } normally take { $expected_time }
}, counted once the hold is lifted: held by { $holder } since { $held_since }, so no completion time can be given.
delay-held-summary = Give no completion time: { $holder } holds the transaction. Once the hold is lifted, { $network } normally takes { $expected_time }.
delay-held-customer = Your { $kind } of { $amount } { $asset } is on hold. It will continue once the hold is lifted; until then we cannot give a completion time.

## no_incident

no-incident-not-completed = The transaction has not completed.
no-incident-not-credited = The { $kind } of { $amount } { $asset } arrived on { $network } at { $arrived } but was not credited to the customer's account.
no-incident-other-causes = Not a transaction without incident: another cause explains it (see the matched findings).
no-incident-detail = The { $kind } of { $amount } { $asset } on { $network } completed at { $done }.
no-incident-summary = Nothing to do: { $amount } { $asset } ({ $kind }) completed at { $done }.{ $outgoing ->
    [yes] {" "}If the customer says it has not arrived, share the destination from the evidence and ask them to check with the receiving wallet, bank or exchange.
   *[no] {""}
}
no-incident-customer = Your { $kind } of { $amount } { $asset } completed at { $done }.{ $outgoing ->
    [yes] {" "}If it has not arrived yet, please check with the receiving wallet, bank or exchange (some need a memo or tag to credit it), then contact us with the destination you used.
   *[no] {""}
}

## undetermined

undetermined-summary = No rule explains this transaction. Escalate to operations with the findings.
undetermined-customer = We are looking into your transaction and will update you soon.

## Next steps: where and how soon the customer hears back
# Appended to a customer message when support or operations acts on its next step.

customer-with-reply = { $message } { $reply }
reply-expected = { $channel ->
    [email] Our team will reply by e-mail within { $within }.
    [in_app_chat] Our team will reply in the in-app chat within { $within }.
    [hotline] When you call our hotline, an agent will answer within { $within }.
   *[in_app_form] Our team will answer your request within { $within }.
}
reply-within = { $unit ->
    [business_days] { $to ->
        [one] { $to } business day
       *[other] { $to } business days
    }
    [days] { $to ->
        [one] { $to } day
       *[other] { $to } days
    }
    [hours] { $to ->
        [one] { $to } hour
       *[other] { $to } hours
    }
   *[minutes] { $to ->
        [one] { $to } minute
       *[other] { $to } minutes
    }
}
reply-within-range = { $from }–{ $to } { $unit ->
    [business_days] business days
    [days] days
    [hours] hours
   *[minutes] minutes
}

## TriageTicket replies

triage-reply-greeting = Hello,
triage-reply-closing = If anything is still unclear, just reply to this message and we will help.
triage-reply-item = About { $reference }: { $message }
triage-needs-info =
    Thank you for contacting us. We could not find the payment you are asking about yet. To look into it, please reply with:
    { $items }
    With these we can find your payment and tell you where it stands.
missing-reference-or-tx-hash = the payment's reference number, or its transaction hash (TxID)
missing-payment-time = when you made the payment (date and time)
missing-amount = the amount you sent, and the currency or coin
missing-network = the network you used (for example TRC20, ERC20 or BEP20), or the bank transfer type
missing-payment-screenshot = a screenshot of the payment in your wallet or banking app
missing-transaction-reference = the reference number of the transaction
missing-tx-hash = the transaction hash (TxID) of the payment
missing-destination-address = the address or account you sent the funds to
missing-memo = the memo or tag you used, if any
missing-bank-statement = a bank statement showing the payment
missing-identity-document = an identity document of the account holder
