//! `multipart/form-data` encoding (RFC 7578) for the few operations whose body is a form.

/// One form field: text, or a file when it has a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    /// The field's name.
    pub name: String,
    /// The field's bytes.
    pub value: Vec<u8>,
    /// Set for binary values; sent as `application/octet-stream`.
    pub filename: Option<String>,
}

/// Encodes `parts` and returns the body with its `Content-Type` (which names the boundary).
/// The boundary is derived from the content and lengthened until no part contains it.
pub fn encode(parts: &[FormPart]) -> (Vec<u8>, String) {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.name.as_bytes().iter().chain(&part.value) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut boundary = format!("neon-edge-{hash:016x}");
    while parts.iter().any(|p| contains(&p.value, boundary.as_bytes())) {
        hash = hash.rotate_left(7) ^ 0x9e37_79b9_7f4a_7c15;
        boundary.push_str(&format!("{:x}", hash & 0xffff));
    }
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let name = quote(&part.name);
        match &part.filename {
            Some(file) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                    quote(file)
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(&part.value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Escapes a field or file name for a quoted header parameter, as browsers do.
fn quote(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(name: &str, value: &[u8], filename: Option<&str>) -> FormPart {
        FormPart { name: name.into(), value: value.to_vec(), filename: filename.map(Into::into) }
    }

    #[test]
    fn text_and_file_parts_are_framed_by_the_boundary() {
        let (body, content_type) = encode(&[part("runtime", b"nodejs22", None), part("zip", &[0, 1, 2], Some("zip"))]);
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let expected = [
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"runtime\"\r\n\r\nnodejs22\r\n").into_bytes(),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"zip\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes(),
            vec![0, 1, 2],
            format!("\r\n--{boundary}--\r\n").into_bytes(),
        ]
        .concat();
        assert_eq!(body, expected);
    }

    #[test]
    fn the_boundary_never_occurs_inside_a_part() {
        let (_, content_type) = encode(&[part("a", b"x", None)]);
        let first = content_type.strip_prefix("multipart/form-data; boundary=").unwrap().to_owned();
        let (_, content_type) = encode(&[part("a", first.as_bytes(), None)]);
        let second = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert!(!first.contains(second) && !second.is_empty());
    }

    #[test]
    fn quotes_and_newlines_in_names_cannot_break_the_header() {
        let (body, _) = encode(&[part("a\"\r\nX: y", b"v", None)]);
        assert!(String::from_utf8_lossy(&body).contains("name=\"a%22%0D%0AX: y\""));
    }
}
