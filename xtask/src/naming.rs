//! Names and text: case conversions, Rust identifiers, doc comments and JSDoc.

/// Splits `getConnectionURI`, `project_id`, `k8s-neonvm` or `VPCEndpoint` into lowercase words.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // A new word starts at `aB` and at the last capital of an acronym: `URIWhitelist`.
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower)
            {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `getConnectionURI` -> `get_connection_uri`.
pub fn snake(name: &str) -> String {
    words(name).join("_")
}

/// `project_id` -> `ProjectId`; `getConnectionURI` -> `GetConnectionUri`.
pub fn pascal(name: &str) -> String {
    words(name).iter().map(|w| capitalize(w)).collect()
}

/// `project_id` -> `projectId`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(name).iter().enumerate() {
        if i == 0 {
            out.push_str(w);
        } else {
            out.push_str(&capitalize(w));
        }
    }
    out
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A snake_case Rust field or function name for a spec name; keywords get a trailing `_`.
pub fn field_ident(name: &str) -> String {
    let mut ident = snake(name);
    if ident.is_empty() {
        ident = "field".into();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// A type name: the spec's own name when it is already a valid PascalCase identifier (so Rust
/// and TypeScript users see `VPCEndpoint` as the docs spell it), else its PascalCase form.
pub fn type_ident(name: &str) -> String {
    let valid = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    let ident = if valid { name.to_owned() } else { pascal(name) };
    if ident.starts_with(|c: char| c.is_ascii_digit()) || ident.is_empty() {
        format!("T{ident}")
    } else {
        ident
    }
}

/// A variant name for an enum value: `k8s-neonvm` -> `K8sNeonvm`, `storage:read` -> `StorageRead`.
pub fn variant_ident(value: &str) -> String {
    let ident = pascal(value);
    if ident.is_empty() {
        "Empty".into()
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{ident}")
    } else {
        ident
    }
}

/// A Rust string literal.
pub fn rust_str(text: &str) -> String {
    format!("{text:?}")
}

/// Prepares spec Markdown for a doc comment: no leading indentation (an indented line would
/// become a doctest), and bare code fences marked `text` so rustdoc does not compile them.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.trim().lines() {
        let line = raw.trim();
        if let Some(lang) = line.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                out.push("```".into());
            } else {
                in_fence = true;
                let lang = lang.trim();
                out.push(if lang.is_empty() || lang == "rust" {
                    "```text".into()
                } else {
                    format!("```{lang}")
                });
            }
            continue;
        }
        out.push(line.trim_end().to_owned());
    }
    if in_fence {
        out.push("```".into());
    }
    // Collapse runs of blank lines.
    out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    out
}

/// Writes `///` lines at `indent`.
pub fn push_doc(out: &mut String, indent: &str, lines: &[String]) {
    for line in lines {
        if line.is_empty() {
            out.push_str(&format!("{indent}///\n"));
        } else {
            out.push_str(&format!("{indent}/// {line}\n"));
        }
    }
}

/// Text safe inside a `/** ... */` JSDoc block.
pub fn jsdoc_safe(text: &str) -> String {
    text.replace("*/", "*\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_acronyms() {
        assert_eq!(snake("getConnectionURI"), "get_connection_uri");
        assert_eq!(
            snake("listNeonAuthRedirectURIWhitelistDomains"),
            "list_neon_auth_redirect_uri_whitelist_domains"
        );
        assert_eq!(
            snake("listProjectVPCEndpoints"),
            "list_project_vpc_endpoints"
        );
        assert_eq!(snake("getProjectJWKS"), "get_project_jwks");
        assert_eq!(
            snake("getConsumptionHistoryPerProjectV2"),
            "get_consumption_history_per_project_v2"
        );
        assert_eq!(
            snake("createNeonAuthProviderSDKKeys"),
            "create_neon_auth_provider_sdk_keys"
        );
    }

    #[test]
    fn camel_case_of_path_params() {
        assert_eq!(camel("project_id"), "projectId");
        assert_eq!(camel("object_key"), "objectKey");
        assert_eq!(camel("slug"), "slug");
    }

    #[test]
    fn identifiers_avoid_keywords_and_digits() {
        assert_eq!(field_ident("type"), "type_");
        assert_eq!(field_ident("github-commit-ref"), "github_commit_ref");
        assert_eq!(variant_ident("k8s-neonvm"), "K8sNeonvm");
        assert_eq!(variant_ident("storage:read"), "StorageRead");
        assert_eq!(variant_ident("14"), "V14");
        assert_eq!(type_ident("VPCEndpoint"), "VPCEndpoint");
        assert_eq!(type_ident("major"), "Major");
    }

    #[test]
    fn doc_lines_never_make_doctests() {
        let lines = doc_lines("Intro\n\n    indented\n```\ncode\n```\n");
        assert_eq!(
            lines,
            vec!["Intro", "", "indented", "```text", "code", "```"]
        );
    }
}
