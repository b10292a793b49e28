//! Where the next XDF directory pages probably lie. The pages are a chain (each names the
//! next), so a reader that follows it reads them one by one: 40 reads for 10,000 records.
//! Where a read costs far more than its bytes (a browser's `Blob` or HTTP reads), the
//! scanner offers guesses of the pages after the one it needs, read in the same request:
//! librmn appends a page after the records the previous one lists, so the pages of a file
//! lie at nearly regular strides. A guess is only bytes offered: the scan still follows the
//! chain and takes a page only at the address the previous page names.

/// Byte ranges `(offset, length)` that probably hold the directory pages after the one at
/// `next` (whose range the caller reads anyway): up to `remaining` pages, `budget` bytes in
/// all, within `file_len`. `pages` are the offsets of the pages read so far, in chain order.
///
/// Each guess continues the mean of the last strides between pages, widened by 1.5 times
/// their largest deviation from it, times the distance (errors add up); ranges that overlap
/// are merged. No guess without a stride, or for a chain that goes backwards.
pub(super) fn page_guesses(
    pages: &[u64],
    next: u64,
    page_len: u64,
    remaining: u32,
    file_len: u64,
    budget: u64,
) -> Vec<(u64, u64)> {
    let mut offsets = pages.to_vec();
    offsets.push(next);
    let strides: Vec<u64> = offsets
        .windows(2)
        .map(|w| w[1].saturating_sub(w[0]))
        .collect();
    let Some(&last) = strides.last() else {
        return Vec::new();
    };
    if strides.iter().any(|&s| s < page_len) {
        return Vec::new(); // backwards or overlapping pages: nothing regular to follow
    }
    // The chain's first stride spans the file's first records (often of another size:
    // grid descriptors), so it is left out once later ones are known.
    let recent = if strides.len() > 2 {
        &strides[1..]
    } else {
        &strides[..]
    };
    let recent = &recent[recent.len().saturating_sub(8)..];
    let count = recent.len() as u64; // 1..=8
    let stride = recent.iter().map(|&s| u128::from(s)).sum::<u128>() / u128::from(count);
    let stride = u64::try_from(stride).unwrap_or(last);
    let deviation = recent
        .iter()
        .map(|&s| s.abs_diff(stride))
        .max()
        .unwrap_or(0);
    let spread = if count < 2 {
        stride / 16
    } else {
        deviation.saturating_add(deviation / 2)
    };
    let mut out: Vec<(u64, u64)> = Vec::new();
    let mut total = 0u64;
    for j in 1..=u64::from(remaining) {
        let center = next.saturating_add(stride.saturating_mul(j));
        let slack = spread.saturating_mul(j);
        let start = center
            .saturating_sub(slack)
            .max(next.saturating_add(page_len));
        let end = center
            .saturating_add(page_len)
            .saturating_add(slack)
            .min(file_len);
        if start >= end {
            break; // past the end of the file
        }
        let (merged, added) = match out.last() {
            Some(&(o, l)) if start <= o + l => {
                ((o, (end.max(o + l)) - o), end.saturating_sub(o + l))
            }
            _ => ((start, end - start), end - start),
        };
        if total + added > budget {
            break;
        }
        total += added;
        if matches!(out.last(), Some(&(o, _)) if o == merged.0) {
            *out.last_mut().expect("just matched") = merged;
        } else {
            out.push(merged);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::page_guesses;

    const PAGE: u64 = 18_464;

    #[test]
    fn no_stride_no_guess() {
        assert!(page_guesses(&[], 208, PAGE, 10, 1 << 30, 1 << 20).is_empty());
    }

    #[test]
    fn regular_strides_give_exact_pages_within_the_budget() {
        let s = 41_003_040;
        let pages = [208, 208 + 40_529_448, 208 + 40_529_448 + s];
        let next = pages[2] + s;
        let guesses = page_guesses(&pages, next, PAGE, 36, 2_000_000_000, 1 << 20);
        assert_eq!(guesses.len(), 36);
        for (j, &(offset, len)) in guesses.iter().enumerate() {
            assert_eq!((offset, len), (next + (j as u64 + 1) * s, PAGE));
        }
        // The budget bounds the bytes offered; the remaining page count bounds the guesses.
        assert_eq!(
            page_guesses(&pages, next, PAGE, 36, 2_000_000_000, 5 * PAGE).len(),
            5
        );
        assert_eq!(
            page_guesses(&pages, next, PAGE, 3, 2_000_000_000, 1 << 20).len(),
            3
        );
    }

    /// Reads of a scan of pages at `offsets` that reads each round's guesses with the page
    /// it needs: `(rounds, bytes offered)`.
    fn simulate(offsets: &[u64], file_len: u64, budget: u64) -> (usize, u64) {
        let mut read = vec![offsets[0]];
        let (mut rounds, mut bytes) = (1, PAGE);
        while read.len() < offsets.len() {
            let next = offsets[read.len()];
            let remaining = (offsets.len() - read.len() - 1) as u32;
            let guesses = page_guesses(&read, next, PAGE, remaining, file_len, budget);
            assert!(guesses.iter().map(|g| g.1).sum::<u64>() <= budget);
            bytes += PAGE + guesses.iter().map(|g| g.1).sum::<u64>();
            read.push(next);
            rounds += 1;
            while let Some(&o) = offsets.get(read.len()) {
                if !guesses.iter().any(|&(g, l)| g <= o && o + PAGE <= g + l) {
                    break;
                }
                read.push(o);
            }
        }
        (rounds, bytes)
    }

    /// Page strides of `/work/bench-data/ten_thousand.fst` (the browser test's file: records
    /// of mixed sizes, `fst24 cp` of mixed_xdf.fst 257 times).
    const MIXED_STRIDES: [u64; 39] = [
        218_048, 213_904, 215_960, 220_776, 212_936, 221_488, 209_896, 220_312, 212_776, 217_192,
        217_192, 214_520, 222_056, 211_248, 220_304, 212_128, 218_040, 214_792, 215_024, 222_032,
        212_936, 220_312, 209_856, 220_416, 212_832, 217_208, 219_528, 213_040, 221_960, 210_488,
        220_240, 212_016, 218_024, 215_376, 215_600, 221_864, 212_184, 220_016, 212_440,
    ];

    fn chain(first: u64, strides: &[u64]) -> Vec<u64> {
        let mut offsets = vec![first];
        for s in strides {
            offsets.push(offsets.last().unwrap() + s);
        }
        offsets
    }

    #[test]
    fn mixed_record_sizes_take_a_few_rounds() {
        let offsets = chain(208, &MIXED_STRIDES);
        let (rounds, bytes) = simulate(&offsets, 8_485_776, 1 << 20);
        assert!(rounds <= 12, "{rounds} rounds for 40 pages");
        assert!(bytes <= 12 << 20, "{bytes} bytes");
    }

    #[test]
    fn a_regular_file_takes_four_rounds() {
        let mut strides = vec![40_529_448];
        strides.extend([41_003_040; 36]); // gem.fst: 38 pages
        let offsets = chain(208, &strides);
        assert_eq!(simulate(&offsets, 1_557_001_752, 1 << 20).0, 4);
    }

    #[test]
    fn backwards_or_overlapping_chains_give_no_guess() {
        assert!(page_guesses(&[1_000_000], 208, PAGE, 10, 1 << 30, 1 << 20).is_empty());
        assert!(page_guesses(&[208], 208 + PAGE / 2, PAGE, 10, 1 << 30, 1 << 20).is_empty());
    }

    #[test]
    fn hostile_numbers_do_not_overflow() {
        let guesses = page_guesses(&[0], u64::MAX - PAGE, PAGE, 1024, u64::MAX, 1 << 20);
        assert!(guesses.is_empty());
        let guesses = page_guesses(
            &[0, u64::MAX / 4],
            u64::MAX / 2,
            PAGE,
            1024,
            u64::MAX,
            1 << 20,
        );
        assert!(guesses.iter().map(|g| g.1).sum::<u64>() <= 1 << 20);
    }
}
