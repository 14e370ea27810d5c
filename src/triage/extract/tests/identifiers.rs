//! References, transaction hashes and addresses.

use super::*;

#[test]
fn references_are_found_once_each_even_against_chinese_letters() {
    let text = "订单DEP-SOL-7781没到账，另见 DEMO-DELAY 和 DEP-SOL-7781";
    let out = extract(text);
    let expected = [
        (
            "DEP-SOL-7781".to_owned(),
            "DEP-SOL-7781".to_owned(),
            span(2, 14),
        ),
        (
            "DEMO-DELAY".to_owned(),
            "DEMO-DELAY".to_owned(),
            span(21, 31),
        ),
    ];
    assert_eq!(items(&out.references), expected);
    assert!(
        out.networks.is_empty(),
        "SOL inside a reference is no network: {:?}",
        out.networks
    );
    assert_spans_hold(text, &out);
}

#[test]
fn every_shipped_reference_shape_is_a_reference_and_nothing_else() {
    let text = "WD-BTC-3390, TR-SEPA-9001; PAY-XLM-5512 / DEP-USDT-4410";
    let out = extract(text);
    let values: Vec<String> = out.references.iter().map(|f| f.value.clone()).collect();
    assert_eq!(
        values,
        [
            "WD-BTC-3390",
            "TR-SEPA-9001",
            "PAY-XLM-5512",
            "DEP-USDT-4410"
        ]
    );
    assert!(
        out.networks.is_empty() && out.kinds.is_empty() && out.amounts.is_empty(),
        "{out:?}"
    );
}

#[test]
fn reference_patterns_keep_their_own_flags() {
    let config = ExtractConfig {
        reference_patterns: vec![r"(?i)\bref-\d+\b".to_owned()],
        network_names: vec![],
    };
    let out = Extractor::new(&config).expect("compiles").extract(
        "see Ref-12 and REF-13",
        received(),
        Shanghai,
    );
    let values: Vec<String> = out.references.iter().map(|f| f.value.clone()).collect();
    assert_eq!(values, ["Ref-12", "REF-13"]);
}

#[test]
fn an_invalid_reference_pattern_is_an_error_naming_it() {
    let config = ExtractConfig {
        reference_patterns: vec!["DEP-(".to_owned()],
        network_names: vec![],
    };
    let error = Extractor::new(&config).expect_err("an unclosed group");
    assert!(error.to_string().contains("DEP-("), "{error}");
}

#[test]
fn transaction_hashes_are_found_with_or_without_a_label() {
    let cases = [
        (
            format!("txid: 0x{HEX64}"),
            vec![(format!("0x{HEX64}"), HashFormat::Evm, span(6, 72))],
        ),
        (
            format!("TxID:{HEX64}"),
            vec![(HEX64.to_owned(), HashFormat::Hex64, span(5, 69))],
        ),
        (
            format!("交易哈希{HEX64}，请查"),
            vec![(HEX64.to_owned(), HashFormat::Hex64, span(4, 68))],
        ),
        (
            format!("hash {}", HEX64.to_uppercase()),
            vec![(HEX64.to_uppercase(), HashFormat::Hex64, span(5, 69))],
        ),
    ];
    for (text, expected) in cases {
        let out = extract(&text);
        assert_eq!(items(&out.tx_hashes), expected, "{text}");
        assert!(
            out.addresses.is_empty() && out.amounts.is_empty(),
            "{text}: {out:?}"
        );
    }
}

#[test]
fn a_hex_run_longer_or_shorter_than_a_hash_is_no_hash() {
    for text in [
        format!("{HEX64}a"),
        format!("x{HEX64}"),
        format!("0x{HEX64}0"),
        HEX64[1..].to_owned(),
        format!("{HEX64}_"),
    ] {
        let out = extract(&text);
        assert!(
            out.tx_hashes.is_empty() && out.addresses.is_empty(),
            "{text}: {out:?}"
        );
    }
}

#[test]
fn a_zero_width_character_inside_a_hash_leaves_nothing_to_extract() {
    for at in [1, 20, 40, 63] {
        let text = format!("txid 0x{}\u{200B}{}", &HEX64[..at], &HEX64[at..]);
        let out = extract(&text);
        assert_eq!(out, Extraction::default(), "zero-width after {at} digits");
    }
    let text = format!("hash {}\u{2066}{}", &HEX64[..32], &HEX64[32..]);
    assert_eq!(extract(&text), Extraction::default());
}

#[test]
fn zero_width_characters_around_a_hash_do_not_hide_it() {
    let text = format!("\u{200B}{HEX64}\u{FEFF} 到账了吗");
    assert_eq!(
        items(&extract(&text).tx_hashes),
        [(HEX64.to_owned(), HashFormat::Hex64, span(1, 65))]
    );
}

/// An address, its format and whether its checksum holds.
#[rustfmt::skip]
const ADDRESSES: &[(&str, AddressFormat, bool)] = &[
    ("0x52908400098527886E0F7030069857D2E4169EE7", AddressFormat::Evm, true),
    ("0x8617E340B3D01FA5F11F306F4090FD50E238070D", AddressFormat::Evm, true),
    ("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", AddressFormat::Evm, true),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", AddressFormat::Evm, true),
    // The first EIP-55 vector with one letter's case flipped.
    ("0x52908400098527886e0F7030069857D2E4169EE7", AddressFormat::Evm, false),
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", AddressFormat::Tron, true),
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u", AddressFormat::Tron, false),
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", AddressFormat::BtcLegacy, true),
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", AddressFormat::BtcLegacy, false),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", AddressFormat::BtcLegacy, true),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz", AddressFormat::BtcLegacy, false),
    ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", AddressFormat::BtcSegwit, true),
    ("BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", AddressFormat::BtcSegwit, true),
    ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp", AddressFormat::BtcSegwit, false),
    ("bC1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", AddressFormat::BtcSegwit, false),
    ("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", AddressFormat::BtcSegwit, true),
    // The taproot program under a bech32 (not bech32m) checksum breaks BIP-350's rule.
    ("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3296", AddressFormat::BtcSegwit, false),
];

#[test]
fn addresses_are_found_with_their_checksum_verdict() {
    for (address, format, valid) in ADDRESSES {
        let text = format!("打到地址：{address} 了");
        let out = extract(&text);
        let expected = Address {
            format: *format,
            valid: *valid,
        };
        let end = 5 + address.chars().count();
        assert_eq!(
            items(&out.addresses),
            [((*address).to_owned(), expected, span(5, end))],
            "{address}"
        );
        assert!(
            out.tx_hashes.is_empty() && out.amounts.is_empty() && out.networks.is_empty(),
            "{address}: {out:?}"
        );
    }
}

#[test]
fn strings_without_an_address_shape_are_no_address() {
    let texts = [
        "0x52908400098527886E0F7030069857D2E4169EE", // 39 hex digits
        "0x52908400098527886E0F7030069857D2E4169EE7a", // 41
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6",         // 33 characters
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj0t",        // 0 is not base58
        "13812345678912345678912345",                // digits alone are a number
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdb", // b is not bech32
    ];
    for text in texts {
        assert!(extract(text).addresses.is_empty(), "{text}");
    }
}
