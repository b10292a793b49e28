//! Decoding a record into the reference's element type and comparing bytes exactly.

use fst24::{DecodeOptions, ElementType, File, Values};

/// Element type named by a reference (npy dtype or sidecar `elem_type`).
///
/// # Panics
/// On a name the corpus does not use.
pub fn element_type(name: &str) -> ElementType {
    match name {
        "<f4" | "f32" => ElementType::F32,
        "<f8" | "f64" => ElementType::F64,
        "|i1" | "i8" => ElementType::I8,
        "<i2" | "i16" => ElementType::I16,
        "<i4" | "i32" => ElementType::I32,
        "<i8" | "i64" => ElementType::I64,
        "|u1" | "u8" => ElementType::U8,
        "<u2" | "u16" => ElementType::U16,
        "<u4" | "u32" => ElementType::U32,
        "<u8" | "u64" => ElementType::U64,
        "<c8" | "c64" => ElementType::C64,
        "<c16" | "c128" => ElementType::C128,
        "char8" => ElementType::Char,
        "x32" | "x1" | "x32words" => ElementType::Word,
        other => panic!("unknown reference element type {other}"),
    }
}

/// Decodes record `index` of `file` into a buffer of element type `et` holding `scalars`
/// slots.
///
/// # Errors
/// The decoder's error, as text.
pub fn decode_as(
    file: &File,
    index: usize,
    et: ElementType,
    scalars: usize,
    options: &DecodeOptions,
) -> Result<Values, String> {
    let mut values = Values::zeroed(et, scalars);
    file.read_into(index, values.as_out(), options)
        .map_err(|e| e.to_string())?;
    Ok(values)
}

fn render(et: ElementType, bytes: &[u8]) -> String {
    match et {
        ElementType::F32 | ElementType::C64 => format!(
            "{:?} ({:#010x})",
            f32::from_le_bytes(bytes[..4].try_into().unwrap()),
            u32::from_le_bytes(bytes[..4].try_into().unwrap())
        ),
        ElementType::F64 | ElementType::C128 => {
            format!("{:?}", f64::from_le_bytes(bytes[..8].try_into().unwrap()))
        }
        _ => format!("{bytes:02x?}"),
    }
}

/// Compares decoded bytes with reference bytes element by element.
///
/// # Errors
/// A message with the number of differing elements and the first few differences.
pub fn compare_bytes(et: ElementType, ours: &[u8], reference: &[u8]) -> Result<(), String> {
    if ours.len() != reference.len() {
        return Err(format!(
            "length differs: ours {} bytes, reference {} bytes",
            ours.len(),
            reference.len()
        ));
    }
    let size = match et {
        ElementType::C64 => 4,
        ElementType::C128 => 8,
        _ => et.size(),
    };
    let diffs: Vec<usize> = (0..ours.len() / size)
        .filter(|&i| ours[i * size..(i + 1) * size] != reference[i * size..(i + 1) * size])
        .collect();
    if diffs.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = diffs
        .iter()
        .take(4)
        .map(|&i| {
            format!(
                "[{i}] ours {} ref {}",
                render(et, &ours[i * size..]),
                render(et, &reference[i * size..])
            )
        })
        .collect();
    Err(format!(
        "{} of {} scalars differ: {}",
        diffs.len(),
        ours.len() / size,
        shown.join("; ")
    ))
}
