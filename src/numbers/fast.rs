//! The fast path of number text for large arrays: each number is formatted into a fixed-size
//! window of the output buffer's spare capacity, integers by digit pairs and doubles as
//! `%.15g` by exact 192-bit arithmetic where it is cheap. Doubles the fast path does not
//! cover fall back to the exact formatter of [`super::g15`].

use std::mem::MaybeUninit;

/// Room one formatted element may use in the output. Every token is shorter (the longest,
/// `-2.2250738585072e-308`, has 22 bytes); the rest lets the formatters store whole 8- and
/// 16-byte words instead of single bytes.
pub(crate) const TOKEN_ROOM: usize = 48;

/// The output window one element is formatted into (part of the buffer's spare capacity).
pub(crate) type Win = [MaybeUninit<u8>; TOKEN_ROOM];

/// Store the little-endian bytes of `word` at `win[at..at + 8]`.
#[inline(always)]
fn store8(win: &mut [MaybeUninit<u8>], at: usize, word: u64) {
    let dst: &mut [MaybeUninit<u8>; 8] = (&mut win[at..at + 8]).try_into().expect("8 bytes");
    dst.write_copy_of_slice(&word.to_le_bytes());
}

/// Store the little-endian bytes of `word` at `win[at..at + 16]`.
#[inline(always)]
fn store16(win: &mut [MaybeUninit<u8>], at: usize, word: u128) {
    let dst: &mut [MaybeUninit<u8>; 16] = (&mut win[at..at + 16]).try_into().expect("16 bytes");
    dst.write_copy_of_slice(&word.to_le_bytes());
}

/// Store `bytes` at the start of `win`; returns their length.
#[inline]
pub(crate) fn store_bytes(win: &mut Win, bytes: &[u8]) -> usize {
    let n = bytes.len().min(TOKEN_ROOM);
    win[..n].write_copy_of_slice(&bytes[..n]);
    n
}

/// The ASCII digit pairs "00" to "99" as little-endian 16-bit words (tens digit first).
const PAIRS: [u16; 100] = {
    let mut t = [0u16; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = (b'0' as u16 + (i / 10) as u16) | (b'0' as u16 + (i % 10) as u16) << 8;
        i += 1;
    }
    t
};

/// Eight ASCII digits of `v` (< 10^8, with leading zeros) as a little-endian word: the most
/// significant digit is the lowest byte.
#[inline(always)]
fn digits8(v: u32) -> u64 {
    let (hi, lo) = (v / 10_000, v % 10_000);
    PAIRS[(hi / 100) as usize] as u64
        | (PAIRS[(hi % 100) as usize] as u64) << 16
        | (PAIRS[(lo / 100) as usize] as u64) << 32
        | (PAIRS[(lo % 100) as usize] as u64) << 48
}

/// 10^0 ..= 10^19, the powers of ten that fit in 64 bits.
const POW10: [u64; 20] = {
    let mut t = [0u64; 20];
    let mut i = 0;
    while i < 20 {
        t[i] = super::POW10[i] as u64;
        i += 1;
    }
    t
};

/// Number of decimal digits of `v` (1 for 0).
#[inline(always)]
fn digit_count(v: u64) -> usize {
    // `v | 1` has the same digit count as `v` (powers of ten from 10 on are even) and is not 0.
    let v = v | 1;
    let bits = 64 - v.leading_zeros();
    let t = ((bits * 1233) >> 12) as usize;
    t + (v >= POW10[t]) as usize
}

/// The token of an integer of at most five digits (`a` < 100000) after an optional minus
/// sign. All five digits are computed into one word whose leading zeros are then shifted
/// out, so no branch depends on the value.
#[inline(always)]
pub(crate) fn fmt_small(a: u32, neg: bool, win: &mut Win) -> usize {
    let n = 1
        + (a >= 10) as usize
        + (a >= 100) as usize
        + (a >= 1000) as usize
        + (a >= 10_000) as usize;
    let word = digits8(a) >> (8 * (8 - n));
    let neg = neg as usize;
    win[0] = MaybeUninit::new(b'-');
    store8(win, neg, word);
    n + neg
}

/// The token of an integer with magnitude `a` and an optional minus sign.
#[inline(always)]
pub(crate) fn fmt_int(a: u64, neg: bool, win: &mut Win) -> usize {
    let neg = neg as usize;
    win[0] = MaybeUninit::new(b'-');
    neg + put_int(a, &mut win[neg..])
}

/// The decimal digits of `a` at the start of `dst` (which needs 24 bytes of room); returns
/// their count.
#[inline(always)]
fn put_int(a: u64, dst: &mut [MaybeUninit<u8>]) -> usize {
    const E8: u64 = 100_000_000;
    let n = digit_count(a);
    if a < E8 {
        store8(dst, 0, digits8(a as u32) >> (8 * (8 - n)));
    } else if a < E8 * E8 {
        let (hi, lo) = ((a / E8) as u32, (a % E8) as u32);
        store8(dst, 0, digits8(hi) >> (8 * (16 - n)));
        store8(dst, n - 8, digits8(lo));
    } else {
        let (hi, lo) = (a / E8, (a % E8) as u32);
        let (top, mid) = ((hi / E8) as u32, (hi % E8) as u32);
        store8(dst, 0, digits8(top) >> (8 * (24 - n)));
        store8(dst, n - 16, digits8(mid));
        store8(dst, n - 8, digits8(lo));
    }
    n
}

// ---------------------------------------------------------------------------------------------
// float64 tokens: C's `%.15g`, non-finite values as "nan", "inf", "-inf" strings

/// 5^0 ..= 5^55 (5^55 < 2^128).
const POW5: [u128; 56] = {
    let mut t = [1u128; 56];
    let mut i = 1;
    while i < 56 {
        t[i] = t[i - 1] * 5;
        i += 1;
    }
    t
};

const E14: u64 = 100_000_000_000_000;
const E15: u64 = 1_000_000_000_000_000;

/// `%.15g` of `v` into `win` with its length, or `None` when `v` is outside the range this
/// function handles (subnormal, below about 1e-41, non-integral from 1e15 on, or integral and
/// at least 2^64); [`crate::json::write_f64`] formats those.
#[inline]
pub(crate) fn fmt_f64_fast(v: f64, win: &mut Win) -> Option<usize> {
    let bits = v.to_bits();
    let be = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let neg = (bits >> 63) as usize;
    if be == 0x7ff {
        let t: &[u8] = if frac != 0 {
            b"\"nan\""
        } else if neg == 1 {
            b"\"-inf\""
        } else {
            b"\"inf\""
        };
        return Some(store_bytes(win, t));
    }
    win[0] = MaybeUninit::new(b'-');
    let dst = &mut win[neg..];
    if be == 0 {
        if frac == 0 {
            dst[0] = MaybeUninit::new(b'0');
            return Some(neg + 1);
        }
        return None;
    }
    let m = frac | (1u64 << 52);
    let e = be - 1075; // |v| = m * 2^e
    let n = if e >= 0 {
        if e > 11 {
            return None;
        }
        fmt_integral(m << e, dst)
    } else if e > -53 && m & ((1u64 << -e) - 1) == 0 {
        fmt_integral(m >> -e, dst)
    } else {
        let (digits, exp) = digits15_fast(m, e)?;
        place(digits, exp, dst)
    };
    Some(neg + n)
}

/// `%.15g` of a non-negative integer.
#[inline]
pub(crate) fn fmt_integral(n: u64, dst: &mut [MaybeUninit<u8>]) -> usize {
    if n < E15 {
        return put_int(n, dst);
    }
    // Round to 15 significant digits, ties to even (the value is exact).
    let len = digit_count(n);
    let div = POW10[len - 15];
    let (mut q, r) = (n / div, n % div);
    let half = div / 2;
    if r > half || (r == half && q & 1 == 1) {
        q += 1;
    }
    let mut exp = len as i32 - 1;
    if q == E15 {
        q = E14;
        exp += 1;
    }
    place(q, exp, dst)
}

/// The 15 significant digits (as an integer in [1e14, 1e15)) of the non-integral value
/// `m * 2^e` (m with its top bit 52 set), correctly rounded with exact ties to even, and the
/// decimal exponent of the first digit. `None` when the value is outside the range of the
/// 192-bit arithmetic used here.
#[inline]
fn digits15_fast(m: u64, e: i32) -> Option<(u64, i32)> {
    // floor(log10(2^(e+52))) (one more for some negative exponents): the exponent of the
    // first digit is this or one more, or one less in that case.
    let mut exp = ((e + 52) * 78913) >> 18;
    for _ in 0..3 {
        let k = 14 - exp;
        if !(0..=55).contains(&k) {
            return None;
        }
        // v * 10^k = m * 5^k * 2^(e + k); the shift is always to the right here.
        let s = -(e + k);
        if s <= 0 || s >= 190 {
            return None;
        }
        let p = mul_192(m, POW5[k as usize]);
        let s = s as u32;
        let floor = shr_192(p, s);
        if floor >= E15 {
            exp += 1;
            continue;
        }
        if floor < E14 {
            exp -= 1;
            continue;
        }
        let half = bit_192(p, s - 1);
        let below = s >= 2 && low_bits_nonzero_192(p, s - 1);
        let mut d = floor;
        if half && (below || d & 1 == 1) {
            d += 1;
        }
        if d == E15 {
            return Some((E14, exp + 1));
        }
        return Some((d, exp));
    }
    None
}

/// `m * p` as three 64-bit limbs, least significant first.
#[inline(always)]
fn mul_192(m: u64, p: u128) -> [u64; 3] {
    let lo = m as u128 * (p as u64) as u128;
    let hi = m as u128 * (p >> 64);
    let mid = (lo >> 64) + (hi as u64) as u128;
    [lo as u64, mid as u64, ((hi >> 64) + (mid >> 64)) as u64]
}

/// The low 64 bits of `p >> s` (s < 192).
#[inline(always)]
fn shr_192(p: [u64; 3], s: u32) -> u64 {
    let word = (s / 64) as usize;
    let bit = s % 64;
    let mut r = p[word] >> bit;
    if bit > 0 && word + 1 < 3 {
        r |= p[word + 1] << (64 - bit);
    }
    r
}

/// Bit `i` of `p`.
#[inline(always)]
fn bit_192(p: [u64; 3], i: u32) -> bool {
    (p[(i / 64) as usize] >> (i % 64)) & 1 == 1
}

/// Whether any of the bits below bit `i` of `p` is set.
#[inline(always)]
fn low_bits_nonzero_192(p: [u64; 3], i: u32) -> bool {
    let word = (i / 64) as usize;
    let bit = i % 64;
    if p[..word].iter().any(|&x| x != 0) {
        return true;
    }
    bit > 0 && p[word] & ((1u64 << bit) - 1) != 0
}

/// Lay out 15 significant digits `d` (in [1e14, 1e15)) with decimal exponent `exp` the way
/// `%.15g` does: trailing zeros removed, fixed notation for exponents -4 to 14, otherwise
/// `d.ddde±XX`. Returns the length written; `dst` needs 24 bytes of room, of which bytes past
/// the returned length are scratch.
#[inline]
fn place(d: u64, exp: i32, dst: &mut [MaybeUninit<u8>]) -> usize {
    const ZEROS: u128 = u128::from_le_bytes([b'0'; 16]);
    // The 15 digits in bytes 0..15 (first digit lowest), byte 15 a '0'.
    let hi = digits8((d / 100_000_000) as u32) >> 8;
    let lo = digits8((d % 100_000_000) as u32);
    let x = hi as u128 | (lo as u128) << 56 | (b'0' as u128) << 120;
    // Trailing zeros: each '0' byte XORs to zero; the first digit is never zero.
    let len = 16 - ((x ^ ZEROS).leading_zeros() / 8) as usize;
    if (0..15).contains(&exp) {
        let int_len = exp as usize + 1;
        if len <= int_len {
            // The digits past `len` are zeros, so the first `int_len` are the integer.
            store16(dst, 0, x);
            return int_len;
        }
        let bits = 8 * int_len as u32;
        let head = x & ((1u128 << bits) - 1);
        let tail = (x >> bits) << (bits + 8);
        store16(dst, 0, head | (b'.' as u128) << bits | tail);
        len + 1
    } else if (-4..0).contains(&exp) {
        let zeros = (-exp - 1) as usize;
        store8(dst, 0, u64::from_le_bytes(*b"0.000000"));
        store16(dst, 2 + zeros, x);
        2 + zeros + len
    } else {
        let mut pos = 1;
        if len > 1 {
            store16(dst, 0, (x & 0xff) | (b'.' as u128) << 8 | (x >> 8) << 16);
            pos = len + 1;
        } else {
            store8(dst, 0, x as u64);
        }
        let a = exp.unsigned_abs();
        let sign = if exp < 0 { b'-' } else { b'+' } as u64;
        let (word, n) = if a < 100 {
            (PAIRS[a as usize] as u64, 4)
        } else {
            let three = (b'0' as u64 + (a / 100) as u64) | (PAIRS[(a % 100) as usize] as u64) << 8;
            (three, 5)
        };
        store8(dst, pos, b'e' as u64 | sign << 8 | word << 16);
        pos + n
    }
}
