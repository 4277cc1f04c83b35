//! Decimal text to `f64`, correctly rounded, without `str::parse::<f64>` in the wasm package.
//!
//! The standard library's parser (Eisel-Lemire with a fallback) carries a 10 KiB table of
//! 128-bit powers of five that does not compress: about 12 KiB of the gzipped wasm package
//! with its code. This one gives the same result for every input it accepts (a test compares
//! them on a large sample, halfway cases and the subnormal and overflow edges included): the
//! usual forms (up to 19 significant digits scaled by an exact power of ten, up to 10^22)
//! take one correctly rounded multiplication or division; the others, rare in what Degreed
//! sends, are rounded exactly with a small big-integer computation.

/// `10^0 ..= 10^22`: the powers of ten an `f64` holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Significant digits kept: any `f64` halfway point has at most 767, so the digits past
/// these only tell whether the value is above the kept ones.
const MAX_DIGITS: usize = 800;

/// The value of a decimal number in the forms `str::parse::<f64>` takes (`120`, `-1.5`,
/// `.5`, `5.`, `+1e3`, `2E-7`), when it is finite: `None` for anything else, including
/// `inf`, `NaN` and numbers too large for an `f64` (which every caller refuses). No
/// surrounding whitespace, as for `str::parse`.
pub(crate) fn parse_finite(text: &str) -> Option<f64> {
    // Native builds keep the standard library's parser: the same answers, and much faster
    // past the usual forms (17 significant digits are common in JSON). The tables are a
    // cost only in the wasm package.
    #[cfg(not(target_arch = "wasm32"))]
    return text.parse::<f64>().ok().filter(|v| v.is_finite());
    #[cfg(target_arch = "wasm32")]
    return parse_without_tables(text);
}

/// [`parse_finite`] without the standard library's tables: what the wasm package uses, and
/// what the tests compare with `str::parse` on every build.
#[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
fn parse_without_tables(text: &str) -> Option<f64> {
    usual(text.as_bytes()).or_else(|| exact(text.as_bytes()))
}

/// The usual forms, without allocating: at most 19 significant digits making less than 2^53,
/// scaled by at most 10^±22; `None` for anything else (then [`exact`] decides).
fn usual(b: &[u8]) -> Option<f64> {
    let (negative, mut i) = sign(b);
    let (mut m, mut sig, mut exp, mut seen, mut dot) = (0u64, 0, 0i64, false, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                seen = true;
                if m != 0 || c != b'0' {
                    sig += 1;
                    if sig > 19 {
                        return None;
                    }
                    m = m * 10 + u64::from(c - b'0');
                }
                exp -= i64::from(dot);
            }
            b'.' if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if i < b.len() {
        let (e, digits) = exponent(b, i)?;
        if digits > 3 {
            return None;
        }
        exp += e;
    }
    if m >= 1 << 53 || exp.unsigned_abs() >= POW10.len() as u64 {
        return None;
    }
    // Both exact: one correctly rounded operation.
    let p = POW10[exp.unsigned_abs() as usize];
    let v = if exp < 0 { m as f64 / p } else { m as f64 * p };
    Some(if negative { -v } else { v })
}

/// A leading sign: whether it is `-`, and where the digits start.
fn sign(b: &[u8]) -> (bool, usize) {
    match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    }
}

/// The exponent part at `b[i..]` (`e` or `E`, a sign, digits to the end): its value, clamped
/// to ±1,000,000 (far past 10^±400 a value is infinite or zero all the same), and how many
/// digits it has; `None` if it is not one.
fn exponent(b: &[u8], mut i: usize) -> Option<(i64, usize)> {
    if b.get(i)? | 0x20 != b'e' {
        return None;
    }
    i += 1;
    let minus = match b.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let rest = b.get(i..).filter(|r| !r.is_empty())?;
    let mut e = 0i64;
    for &c in rest {
        if !c.is_ascii_digit() {
            return None;
        }
        e = (e * 10 + i64::from(c - b'0')).min(1_000_000);
    }
    Some((if minus { -e } else { e }, rest.len()))
}

/// Any form, exactly (a big-integer computation past the usual ones).
fn exact(b: &[u8]) -> Option<f64> {
    let (negative, mut i) = sign(b);
    // Significant digits (leading zeros skipped) and the power of ten of the last one.
    let mut digits: Vec<u8> = Vec::new();
    let (mut exp, mut seen, mut dot, mut truncated) = (0i64, false, false, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                seen = true;
                if digits.is_empty() && c == b'0' {
                    exp -= i64::from(dot);
                } else if digits.len() < MAX_DIGITS {
                    digits.push(c - b'0');
                    exp -= i64::from(dot);
                } else {
                    truncated |= c != b'0';
                    exp += i64::from(!dot);
                }
            }
            b'.' if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if i < b.len() {
        exp += exponent(b, i)?.0;
    }
    // Trailing zeros only scale.
    while digits.last() == Some(&0) {
        digits.pop();
        exp += 1;
    }
    let value = magnitude(&digits, exp, truncated);
    value
        .is_finite()
        .then_some(if negative { -value } else { value })
}

/// `digits × 10^exp` (digits without leading or trailing zeros, `truncated` when nonzero
/// digits were dropped after them), rounded to the nearest `f64`, ties to even.
fn magnitude(digits: &[u8], exp: i64, truncated: bool) -> f64 {
    if digits.is_empty() {
        return 0.0;
    }
    // The value lies in [10^(top-1), 10^top).
    let top = digits.len() as i64 + exp;
    if top > 310 {
        return f64::INFINITY;
    }
    if top < -324 {
        return 0.0;
    }
    if digits.len() <= 19 && !truncated {
        let m = digits.iter().fold(0u64, |m, &d| m * 10 + u64::from(d));
        if m < 1 << 53 && exp.unsigned_abs() < POW10.len() as u64 {
            // Both exact: one correctly rounded operation.
            let p = POW10[exp.unsigned_abs() as usize];
            return if exp < 0 { m as f64 / p } else { m as f64 * p };
        }
    }
    let mut n = Big::from_digits(digits);
    if exp >= 0 {
        n.mul_pow10(exp as u32);
        let (q, shift, rest) = n.top64();
        round(u128::from(q), i64::from(shift), rest || truncated)
    } else {
        // n / 10^k = n / 5^k × 2^-k: a quotient of 66 or 67 bits (n or 5^k shifted to
        // that end), then rounded.
        let k = (-exp) as u32;
        let mut den = Big(vec![1]);
        den.mul_pow5(k);
        let s = 66 + i64::from(den.bits()) - i64::from(n.bits());
        if s > 0 {
            n.shl(s as u32);
        } else {
            den.shl((-s) as u32);
        }
        let (q, rest) = n.div_small_quotient(&den);
        round(q, -s - i64::from(k), rest || truncated)
    }
}

/// `q × 2^e`, plus a little more when `sticky`, rounded to the nearest `f64` (ties to even,
/// subnormals and overflow included).
fn round(q: u128, e: i64, sticky: bool) -> f64 {
    if q == 0 {
        return 0.0;
    }
    let bits = 128 - i64::from(q.leading_zeros());
    // Keep 53 bits, or fewer where the result is subnormal (its last bit is 2^-1074).
    let shift = (bits - 53).max(-1074 - e);
    let (mut m, exp) = if shift <= 0 {
        (q << -shift, e + shift)
    } else if shift > 127 {
        (0, e + shift)
    } else {
        let m = q >> shift;
        let rest = q & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let up = rest > half || (rest == half && (sticky || m & 1 == 1));
        (m + u128::from(up), e + shift)
    };
    let mut exp = exp;
    if m == 1 << 53 {
        m >>= 1;
        exp += 1;
    }
    // m < 2^53 and exp >= -1074; a normal number has m >= 2^52.
    if exp + 52 > 1023 {
        return f64::INFINITY;
    }
    f64::from_bits((((exp + 1074) as u64) << 52) + m as u64)
}

/// A big unsigned integer, 32-bit limbs, least significant first.
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut n = Big(Vec::new());
        for chunk in digits.chunks(9) {
            let v = chunk.iter().fold(0u32, |v, &d| v * 10 + u32::from(d));
            n.mul_add(10u32.pow(chunk.len() as u32), v);
        }
        n
    }

    fn mul_add(&mut self, by: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(by) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow5(&mut self, mut k: u32) {
        while k > 0 {
            let step = k.min(13);
            self.mul_add(5u32.pow(step), 0);
            k -= step;
        }
    }

    fn mul_pow10(&mut self, k: u32) {
        self.mul_pow5(k);
        self.shl(k);
    }

    fn bits(&self) -> u32 {
        self.0
            .last()
            .map_or(0, |top| 32 * self.0.len() as u32 - top.leading_zeros())
    }

    fn shl(&mut self, n: u32) {
        let (limbs, bits) = ((n / 32) as usize, n % 32);
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    /// The 64 most significant bits, how far they were shifted down, and whether any bit
    /// below them is set.
    fn top64(&self) -> (u64, u32, bool) {
        let bits = self.bits();
        let shift = bits.saturating_sub(64);
        let bit = |i: u32| (self.0[(i / 32) as usize] >> (i % 32)) & 1 == 1;
        let q = (shift..bits)
            .rev()
            .fold(0u64, |q, i| (q << 1) | u64::from(bit(i)));
        (q, shift, (0..shift).any(bit))
    }

    fn cmp_shifted(&self, other: &Big, shift: u32) -> std::cmp::Ordering {
        let mut o = Big(other.0.clone());
        o.shl(shift);
        self.cmp(&o)
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        let trim = |v: &[u32]| v.len() - v.iter().rev().take_while(|&&l| l == 0).count();
        let (a, b) = (&self.0[..trim(&self.0)], &other.0[..trim(&other.0)]);
        a.len()
            .cmp(&b.len())
            .then_with(|| a.iter().rev().cmp(b.iter().rev()))
    }

    fn sub_shifted(&mut self, other: &Big, shift: u32) {
        let mut o = Big(other.0.clone());
        o.shl(shift);
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(o.0.get(i).copied().unwrap_or(0)) - borrow;
            *limb = v as u32;
            borrow = i64::from(v < 0);
        }
    }

    /// `self / den` when the quotient has fewer than 128 bits (bit by bit), and whether a
    /// remainder is left.
    fn div_small_quotient(mut self, den: &Big) -> (u128, bool) {
        let mut q = 0u128;
        let span = self.bits().saturating_sub(den.bits()).min(127);
        for i in (0..=span).rev() {
            if self.cmp_shifted(den, i) != std::cmp::Ordering::Less {
                self.sub_shifted(den, i);
                q |= 1 << i;
            }
        }
        (q, self.0.iter().any(|&l| l != 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) {
        let std = text.parse::<f64>().ok().filter(|v| v.is_finite());
        let ours = parse_without_tables(text);
        assert_eq!(
            parse_finite(text).map(f64::to_bits),
            std.map(f64::to_bits),
            "{text}"
        );
        assert_eq!(
            ours.map(f64::to_bits),
            std.map(f64::to_bits),
            "{text}: {ours:?} vs {std:?}"
        );
    }

    #[test]
    fn the_forms_str_parse_takes() {
        for t in [
            "0",
            "-0",
            "+0",
            "0.0",
            "00",
            "007",
            ".5",
            "5.",
            "-.5",
            "+1",
            "1e3",
            "1E+2",
            "25e-1",
            "12.5",
            " 12.5",
            "12.5 ",
            "3599.999",
            "0.001",
            "86400",
            "1e22",
            "1e23",
            "9e22",
            "12345678901234567890123",
            "1e400",
            "1e-400",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "5e-324",
            "1e-323",
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740993.0000000000000000000000001",
            "0.1",
            "0.3",
            "123456789012345678901234567890e-40",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0e99999999",
            "",
            ".",
            "e3",
            "1e",
            "1e+",
            "1.2.3",
            "1 2",
            "inf",
            "-infinity",
            "NaN",
            "0x10",
            "1_000",
            "--1",
            "+-1",
            "1e1.5",
        ] {
            check(t);
        }
    }

    /// The exact decimal text of the point halfway between `v` (positive, finite) and the
    /// next `f64` up, and of the decimals just above and just below it.
    fn midpoints(v: f64) -> [String; 3] {
        let bits = v.to_bits();
        let (biased, frac) = ((bits >> 52) as i64, bits & ((1 << 52) - 1));
        let (m, e) = if biased == 0 {
            (frac, -1074)
        } else {
            (frac | 1 << 52, biased - 1075)
        };
        // (2m + 1) × 2^(e-1) = N × 10^x.
        let two_m1 = 2 * m + 1;
        let mut n = Big(vec![two_m1 as u32, (two_m1 >> 32) as u32]);
        let x = if e - 1 < 0 {
            n.mul_pow5((1 - e) as u32);
            e - 1
        } else {
            n.shl((e - 1) as u32);
            0
        };
        // N in decimal, by repeated division by 10^9.
        let mut limbs = n.0.clone();
        let mut chunks = Vec::new();
        while limbs.iter().any(|&l| l != 0) {
            let mut rem = 0u64;
            for l in limbs.iter_mut().rev() {
                let cur = (rem << 32) | u64::from(*l);
                *l = (cur / 1_000_000_000) as u32;
                rem = cur % 1_000_000_000;
            }
            chunks.push(rem);
        }
        let mut text = chunks.pop().unwrap().to_string();
        for c in chunks.iter().rev() {
            text.push_str(&format!("{c:09}"));
        }
        let below = format!("{}49999", &text[..text.len() - 1]);
        [
            format!("{text}e{x}"),
            format!("{text}1e{}", x - 1),
            format!("{below}e{}", x - 4),
        ]
    }

    #[test]
    fn halfway_points_and_long_inputs() {
        check("9007199254740993");
        check("9007199254740995");
        check(&format!("9007199254740993{}", "0".repeat(900)));
        check(&format!("9007199254740993.{}1", "0".repeat(900)));
        // The midpoint between 1 and its successor, written by hand, and computed.
        let mid = "1.00000000000000011102230246251565404236316680908203125";
        check(mid);
        assert_eq!(
            midpoints(1.0)[0],
            "100000000000000011102230246251565404236316680908203125e-53"
        );
        for v in [
            1.0,
            5e-324,
            1e-323,
            2.2250738585072014e-308,
            f64::MAX / 2.0,
            0.1,
            1e22,
            1e23,
            123.456,
        ] {
            for t in midpoints(v) {
                check(&t);
            }
        }
        // A midpoint with more digits than are kept, then a 1 far after them.
        let long = &midpoints(2.2250738585072014e-308)[0];
        let (digits, exp) = long.split_once('e').unwrap();
        let exp: i64 = exp.parse().unwrap();
        check(&format!("{digits}{}1e{}", "0".repeat(900), exp - 901));
        check(&format!("{digits}{}e{}", "0".repeat(900), exp - 900));
    }

    #[test]
    fn agrees_with_str_parse_on_a_sample() {
        // A cheap deterministic generator: every kind of exponent, mantissa length and
        // rounding case appears many times.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let bits = next();
            let v = f64::from_bits(bits);
            if !v.is_finite() {
                continue;
            }
            check(&format!("{v:e}"));
            check(&format!("{v:.17e}"));
            check(&format!("{:.30e}", v));
            if v > 0.0 && v < f64::MAX {
                for t in midpoints(v) {
                    check(&t);
                }
            }
            let digits = next() % 30 + 1;
            let e = (next() % 700) as i64 - 350;
            let m: String = (0..digits)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            check(&format!("{m}e{e}"));
            check(&format!("0.{m}e{e}"));
        }
    }
}
