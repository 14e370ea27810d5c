//! Which script a Chinese text is written in, told by the characters only one of them writes.

use std::sync::LazyLock;

/// Common characters written differently in Simplified and Traditional Chinese: (simplified,
/// traditional). A Simplified catalog holds none of the second, a Traditional one none of the
/// first (the catalog tests check it).
#[rustfmt::skip]
pub const SCRIPT_PAIRS: &[(char, char)] = &[
    ('这', '這'), ('个', '個'), ('们', '們'), ('说', '說'), ('时', '時'), ('间', '間'),
    ('为', '為'), ('账', '帳'), ('户', '戶'), ('确', '確'), ('认', '認'), ('请', '請'),
    ('联', '聯'), ('额', '額'), ('币', '幣'), ('钱', '錢'), ('网', '網'), ('络', '絡'),
    ('处', '處'), ('将', '將'), ('与', '與'), ('对', '對'), ('发', '發'), ('现', '現'),
    ('过', '過'), ('还', '還'), ('没', '沒'), ('会', '會'), ('单', '單'), ('号', '號'),
    ('实', '實'), ('证', '證'), ('码', '碼'), ('务', '務'), ('转', '轉'), ('续', '續'),
    ('该', '該'), ('项', '項'), ('从', '從'), ('给', '給'), ('问', '問'), ('题', '題'),
    ('应', '應'), ('关', '關'), ('开', '開'), ('门', '門'), ('长', '長'), ('资', '資'),
    ('达', '達'), ('进', '進'), ('择', '擇'), ('态', '態'), ('录', '錄'), ('记', '記'),
    ('显', '顯'), ('审', '審'), ('风', '風'), ('险', '險'), ('价', '價'), ('费', '費'),
    ('计', '計'), ('维', '維'), ('护', '護'), ('数', '數'), ('据', '據'), ('线', '線'),
    ('营', '營'), ('团', '團'), ('队', '隊'), ('级', '級'), ('链', '鏈'), ('块', '塊'),
    ('验', '驗'), ('结', '結'), ('冻', '凍'), ('异', '異'), ('订', '訂'), ('编', '編'),
    ('损', '損'), ('条', '條'), ('笔', '筆'), ('余', '餘'), ('双', '雙'), ('启', '啟'),
    ('检', '檢'), ('载', '載'), ('设', '設'), ('绑', '綁'), ('银', '銀'), ('仅', '僅'),
    ('则', '則'), ('兑', '兌'), ('换', '換'), ('汇', '匯'), ('击', '擊'), ('页', '頁'),
    ('帮', '幫'), ('协', '協'), ('谢', '謝'), ('咨', '諮'), ('询', '詢'), ('内', '內'),
    ('么', '麼'), ('样', '樣'), ('后', '後'), ('于', '於'), ('决', '決'), ('钟', '鐘'),
    ('报', '報'), ('围', '圍'), ('节', '節'), ('产', '產'), ('权', '權'), ('历', '歷'),
    ('业', '業'), ('办', '辦'), ('扫', '掃'), ('图', '圖'), ('书', '書'), ('谅', '諒'),
    ('带', '帶'), ('邮', '郵'), ('电', '電'), ('话', '話'), ('热', '熱'), ('专', '專'),
    ('属', '屬'), ('拥', '擁'), ('积', '積'), ('压', '壓'), ('毕', '畢'), ('种', '種'),
    ('众', '眾'), ('导', '導'), ('览', '覽'), ('标', '標'), ('签', '簽'), ('输', '輸'),
];

/// Whether `text` is written in Traditional Chinese: it holds more characters only Traditional
/// Chinese writes than characters only Simplified Chinese writes.
pub fn is_traditional(text: &str) -> bool {
    /// Each character of the table, and whether it is the Traditional one.
    static SCRIPT: LazyLock<foldhash::HashMap<char, bool>> = LazyLock::new(|| {
        SCRIPT_PAIRS
            .iter()
            .flat_map(|&(simplified, traditional)| [(simplified, false), (traditional, true)])
            .collect()
    });
    let (mut traditional, mut simplified) = (0_usize, 0_usize);
    for c in text.chars() {
        match SCRIPT.get(&c) {
            Some(true) => traditional += 1,
            Some(false) => simplified += 1,
            None => {}
        }
    }
    traditional > simplified
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_traditional_when_more_of_its_characters_are_only_traditional() {
        assert!(is_traditional("我的出金還沒到帳，請幫我查一下"));
        assert!(!is_traditional("我的提现还没到账，请帮我查一下"));
        // Characters both scripts write, and text with no Chinese, tell nothing.
        assert!(!is_traditional("我的USDT"));
        assert!(!is_traditional("where is my money"));
        // A Simplified ticket quoting one Traditional word is still Simplified.
        assert!(!is_traditional(
            "我在台湾的朋友说“帳戶”被冻结了，请问这个怎么办"
        ));
    }

    #[test]
    fn no_character_is_in_both_scripts_of_the_table() {
        for &(simplified, traditional) in SCRIPT_PAIRS {
            assert_ne!(simplified, traditional);
            assert!(
                !SCRIPT_PAIRS
                    .iter()
                    .any(|&(s, t)| s == traditional || t == simplified),
                "{simplified} {traditional}"
            );
        }
    }
}
