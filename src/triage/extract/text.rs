//! The text every pattern runs over: the ticket with full-width forms folded to ASCII and
//! invisible characters turned into spaces, one character for one, so that a match maps back to
//! the characters the customer wrote.

use super::{Found, Span};
use std::borrow::Cow;

/// Invisible characters that would otherwise glue or split a token unseen: zero-width spaces and
/// joiners, the word joiner, the byte-order mark and the bidirectional controls.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The character `c` is read as: full-width ASCII as ASCII, the ideographic space and invisible
/// characters as a space (which ends any token they stand in).
fn normalize(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ if is_invisible(c) => ' ',
        _ => c,
    }
}

/// A ticket's text, normalized, with what maps a match back to the original.
pub(super) struct Text<'a> {
    original: &'a str,
    /// The normalized text, one character per original character.
    pub norm: Cow<'a, str>,
    /// Byte offset in `norm` of each character, and `norm.len()` last; `None` for ASCII text,
    /// where a byte is a character.
    norm_starts: Option<Vec<usize>>,
    /// Byte offset in `original` of each character, and its length last; `None` when `norm`
    /// is the original itself.
    original_starts: Option<Vec<usize>>,
    /// Byte ranges of `norm` taken by a reference, hash, address or memo: sorted, disjoint.
    taken: Vec<(usize, usize)>,
}

impl<'a> Text<'a> {
    /// Normalizes `original`. Most tickets need no change, and ASCII ones no offset table: the
    /// tables are built only when needed, in one pass.
    pub fn new(original: &'a str) -> Self {
        let unchanged = original.is_ascii() || original.chars().all(|c| normalize(c) == c);
        if unchanged {
            let norm_starts = (!original.is_ascii()).then(|| starts(original));
            return Self {
                original,
                norm: Cow::Borrowed(original),
                norm_starts,
                original_starts: None,
                taken: Vec::new(),
            };
        }
        let norm: String = original.chars().map(normalize).collect();
        let norm_starts = Some(starts(&norm));
        let original_starts = Some(starts(original));
        Self {
            original,
            norm: Cow::Owned(norm),
            norm_starts,
            original_starts,
            taken: Vec::new(),
        }
    }

    /// The span, in characters, of the bytes `start..end` of `norm`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start: self.char_index(start),
            end: self.char_index(end),
        }
    }

    fn char_index(&self, byte: usize) -> usize {
        match &self.norm_starts {
            Some(starts) => starts.binary_search(&byte).unwrap_or_else(|at| at),
            None => byte,
        }
    }

    /// The byte offset in `original` of character `index`.
    fn original_byte(&self, index: usize) -> Option<usize> {
        match (&self.original_starts, &self.norm_starts) {
            (Some(starts), _) | (None, Some(starts)) => starts.get(index).copied(),
            (None, None) => Some(index),
        }
    }

    /// The byte offset in `norm` of character `index`.
    fn norm_byte(&self, index: usize) -> Option<usize> {
        match &self.norm_starts {
            Some(starts) => starts.get(index).copied(),
            None => Some(index),
        }
    }

    /// The original characters of `span`.
    pub fn original(&self, span: Span) -> String {
        let start = self.original_byte(span.start).unwrap_or(0);
        let end = self.original_byte(span.end).unwrap_or(start);
        self.original.get(start..end).unwrap_or_default().to_owned()
    }

    /// A found item for the bytes `start..end` of `norm`.
    pub fn found<T>(&self, start: usize, end: usize, value: T) -> Found<T> {
        let span = self.span(start, end);
        Found {
            span,
            text: self.original(span),
            value,
        }
    }

    /// The normalized text of bytes `start..end`.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        self.norm.get(start..end).unwrap_or_default()
    }

    /// The normalized character before byte `at`, if any.
    pub fn before(&self, at: usize) -> Option<char> {
        self.norm.get(..at)?.chars().next_back()
    }

    /// The normalized character at byte `at`, if any.
    pub fn after(&self, at: usize) -> Option<char> {
        self.norm.get(at..)?.chars().next()
    }

    /// Whether a number starting at byte `start` is the tail of something longer: a letter, digit
    /// or underscore right before it, one of `also`, or a '.', ',', ':' or '/' right after a digit
    /// ("v2", "1,2345", "2.3.1"; but "付款，500U" stands alone).
    pub fn number_glued_before(&self, start: usize, also: &[char]) -> bool {
        match self.before(start) {
            Some(c) if c.is_ascii_alphanumeric() || c == '_' || also.contains(&c) => true,
            Some(c @ ('.' | ',' | ':' | '/')) => self
                .before(start - c.len_utf8())
                .is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        }
    }

    /// Whether a number ending at byte `end` goes on: a letter, digit or underscore right after
    /// it, or a '.', ',', ':' or '/' and a digit ("$5.5.1"; but "$50, then" ends).
    pub fn number_glued_after(&self, end: usize) -> bool {
        match self.after(end) {
            Some(c) if c.is_ascii_alphanumeric() || c == '_' => true,
            Some(c @ ('.' | ',' | ':' | '/')) => self
                .after(end + c.len_utf8())
                .is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        }
    }

    /// The original and the normalized character at character index `index`.
    fn chars_at(&self, index: usize) -> Option<(char, char)> {
        let original = self
            .original
            .get(self.original_byte(index)?..)?
            .chars()
            .next()?;
        let norm = self.norm.get(self.norm_byte(index)?..)?.chars().next()?;
        Some((original, norm))
    }

    /// Whether the token at bytes `start..end` continues, past invisible characters, into more
    /// letters or digits: such a token is a fragment of a longer one, never a whole one.
    pub fn glued_by_invisible(&self, start: usize, end: usize) -> bool {
        let glued = |indices: &mut dyn Iterator<Item = usize>| {
            let mut skipped = false;
            for index in indices {
                match self.chars_at(index) {
                    Some((original, _)) if is_invisible(original) => skipped = true,
                    Some((_, norm)) => return skipped && norm.is_ascii_alphanumeric(),
                    None => return false,
                }
            }
            false
        };
        let (first, last) = (self.char_index(start), self.char_index(end));
        glued(&mut (0..first).rev()) || glued(&mut (last..=self.char_index(self.norm.len())))
    }

    /// Whether any byte of `start..end` is already taken.
    pub fn is_taken(&self, start: usize, end: usize) -> bool {
        // The first taken range ending after `start` is the only one that can overlap.
        let at = self
            .taken
            .partition_point(|&(_, taken_end)| taken_end <= start);
        self.taken
            .get(at)
            .is_some_and(|&(taken_start, _)| taken_start < end)
    }

    /// Marks `start..end`, which must not overlap a taken range, as taken, so that later kinds of
    /// item skip it.
    pub fn take(&mut self, start: usize, end: usize) {
        let at = self
            .taken
            .partition_point(|&(taken_start, _)| taken_start < start);
        self.taken.insert(at, (start, end));
    }
}

/// The byte offset of each character of `text`, and its length last.
fn starts(text: &str) -> Vec<usize> {
    let mut starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    starts.push(text.len());
    starts
}
