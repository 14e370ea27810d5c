//! Messages compiled at load into flat templates, so that the common shapes render without
//! Fluent's general-purpose resolver: literal text, `{ $arg }` and `{ $arg -> [key] … *[other] … }`
//! on string arguments. Every other shape, and every call whose arguments a template cannot take
//! exactly as Fluent would, is left to Fluent.

use fluent_syntax::ast;
use std::borrow::Cow;
use std::fmt::Write as _;

/// An argument's value, as the renderer passes it to a template or to Fluent.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    /// Text, written as it is.
    Str(Cow<'a, str>),
    /// A number, which Fluent may use to select a plural form.
    Num(i64),
}

/// A message compiled for rendering without Fluent.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pieces: Vec<Piece>,
    /// Bytes of literal text on the longest path, to size the output once.
    literal_len: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(Box<str>),
    Arg(Box<str>),
    Select {
        arg: Box<str>,
        /// The variants keyed by name, in the catalog's order.
        variants: Vec<(Box<str>, Vec<Piece>)>,
        /// The default variant's pieces.
        default: Vec<Piece>,
    },
}

impl Template {
    /// Compiles `pattern`, or `None` if it uses anything but text, variables, string literals
    /// and selections on a variable with named keys.
    pub fn compile(pattern: &ast::Pattern<&str>) -> Option<Self> {
        let pieces = pieces(pattern)?;
        let literal_len = literal_len(&pieces);
        Some(Self {
            pieces,
            literal_len,
        })
    }

    /// The text, if the message takes no arguments.
    pub fn as_plain(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Text(text)] => Some(text),
            _ => None,
        }
    }

    /// Renders with `args`, or `None` if Fluent must: an argument is missing, or a selection is
    /// on a number (which Fluent may match by plural category).
    pub fn render(&self, args: &[(&str, Value<'_>)]) -> Option<String> {
        let mut out = String::with_capacity(self.literal_len + 16 * args.len());
        write_pieces(&self.pieces, args, &mut out)?;
        Some(out)
    }
}

fn pieces(pattern: &ast::Pattern<&str>) -> Option<Vec<Piece>> {
    let mut pieces: Vec<Piece> = Vec::with_capacity(pattern.elements.len());
    for element in &pattern.elements {
        let piece = match element {
            ast::PatternElement::TextElement { value } => Piece::Text((*value).into()),
            ast::PatternElement::Placeable { expression } => placeable(expression)?,
        };
        // Adjacent text (a multi-line pattern, a `{""}`) is written as one piece.
        match (pieces.last_mut(), piece) {
            (Some(Piece::Text(last)), Piece::Text(text)) => {
                *last = format!("{last}{text}").into();
            }
            (_, Piece::Text(text)) if text.is_empty() => {}
            (_, piece) => pieces.push(piece),
        }
    }
    Some(pieces)
}

fn placeable(expression: &ast::Expression<&str>) -> Option<Piece> {
    match expression {
        ast::Expression::Inline(inline) => inline_piece(inline),
        ast::Expression::Select { selector, variants } => {
            let ast::InlineExpression::VariableReference { id } = selector else {
                return None;
            };
            let mut named = Vec::with_capacity(variants.len());
            let mut default = None;
            for variant in variants {
                let ast::VariantKey::Identifier { name } = variant.key else {
                    return None;
                };
                let pieces = pieces(&variant.value)?;
                if variant.default {
                    default = Some(pieces.clone());
                }
                named.push((name.into(), pieces));
            }
            Some(Piece::Select {
                arg: id.name.into(),
                variants: named,
                default: default?,
            })
        }
    }
}

fn inline_piece(inline: &ast::InlineExpression<&str>) -> Option<Piece> {
    match inline {
        ast::InlineExpression::VariableReference { id } => Some(Piece::Arg(id.name.into())),
        // Escapes are Fluent's to resolve.
        ast::InlineExpression::StringLiteral { value } if !value.contains('\\') => {
            Some(Piece::Text((*value).into()))
        }
        _ => None,
    }
}

fn literal_len(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.len(),
            Piece::Arg(_) => 0,
            Piece::Select { variants, .. } => variants
                .iter()
                .map(|(_, pieces)| literal_len(pieces))
                .max()
                .unwrap_or(0),
        })
        .sum()
}

fn write_pieces(pieces: &[Piece], args: &[(&str, Value<'_>)], out: &mut String) -> Option<()> {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Arg(name) => match arg(args, name)? {
                Value::Str(s) => out.push_str(s),
                Value::Num(n) => write_num(*n, out)?,
            },
            Piece::Select {
                arg: name,
                variants,
                default,
            } => {
                let Value::Str(selector) = arg(args, name)? else {
                    return None;
                };
                let chosen = variants
                    .iter()
                    .find(|(key, _)| **key == **selector)
                    .map_or(default, |(_, pieces)| pieces);
                write_pieces(chosen, args, out)?;
            }
        }
    }
    Some(())
}

/// Writes `n` as Fluent writes a number it was given as an integer: as the nearest `f64`, which
/// for every integer up to 2^53 is the integer itself, written without the float formatter.
fn write_num(n: i64, out: &mut String) -> Option<()> {
    const EXACT: u64 = 1 << f64::MANTISSA_DIGITS;
    if n.unsigned_abs() <= EXACT {
        write!(out, "{n}").ok()
    } else {
        write!(out, "{}", n as f64).ok()
    }
}

fn arg<'v, 'a>(args: &'v [(&str, Value<'a>)], name: &str) -> Option<&'v Value<'a>> {
    args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
}
