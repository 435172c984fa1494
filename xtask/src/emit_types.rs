//! Writes `models.rs` and `params.rs`: one serde + tsify type per [`TypeDef`].

use crate::naming::{push_doc, rust_str};
use crate::types::{Field, Kind, Module, Ty, TypeDef, Types, UnionVariant};

/// The Rust spelling of a type.
pub fn rust_ty(ty: &Ty) -> String {
    match ty {
        Ty::Str => "String".into(),
        Ty::Bytes => "Vec<u8>".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Bool => "bool".into(),
        Ty::Any => "serde_json::Value".into(),
        Ty::Vec(inner) => format!("Vec<{}>", rust_ty(inner)),
        Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", rust_ty(inner)),
        Ty::Named(name) => name.clone(),
    }
}

/// The TypeScript spelling of a type, as JSON.parse hands it to JS.
pub fn ts_ty(ty: &Ty) -> String {
    match ty {
        Ty::Str => "string".into(),
        Ty::Bytes => "Uint8Array | ArrayBuffer".into(),
        Ty::I32 | Ty::I64 | Ty::F64 => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::Any => "unknown".into(),
        Ty::Vec(inner) => format!("{}[]", ts_ty(inner)),
        Ty::Map(inner) => format!("Record<string, {}>", ts_ty(inner)),
        Ty::Named(name) => name.clone(),
    }
}

const TSIFY_DERIVE: &str = "#[cfg_attr(all(target_arch = \"wasm32\", feature = \"js-management\"), derive(tsify::Tsify))]\n";

/// The body of one generated types file (after its header).
pub fn emit(types: &Types, module: Module) -> String {
    let mut out = String::new();
    if module == Module::Params {
        out.push_str("\n#[allow(unused_imports)]\nuse super::models::*;\n");
    }
    let mut aliases_ts = Vec::new();
    for def in types.defs.iter().filter(|d| d.module == module) {
        out.push('\n');
        let mut doc = def.doc.clone();
        if def.deprecated {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push("@deprecated".into());
        }
        push_doc(&mut out, "", &doc);
        match &def.kind {
            Kind::Struct(fields) => emit_struct(&mut out, types, def, fields),
            Kind::Enum(values) => emit_enum(&mut out, def, values),
            Kind::Union { tag, variants } => emit_union(&mut out, def, tag.as_deref(), variants),
            Kind::Alias(ty) => {
                out.push_str(&format!("pub type {} = {};\n", def.name, rust_ty(ty)));
                aliases_ts.push(format!("export type {} = {};", def.name, ts_ty(ty)));
            }
        }
    }
    if !aliases_ts.is_empty() {
        out.push_str("\n/// TypeScript declarations of the type aliases above (tsify cannot derive for aliases);\n");
        out.push_str("/// the bindings add them to the module's declarations.\n");
        out.push_str("pub const TS_ALIASES: &str = r#\"\n");
        for line in aliases_ts {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("\"#;\n");
    }
    out
}

fn emit_struct(out: &mut String, types: &Types, def: &TypeDef, fields: &[Field]) {
    let default = fields
        .iter()
        .all(|f| !f.required || f.nullable || types.defaultable(&f.ty));
    let derives = if default {
        "Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize"
    } else {
        "Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize"
    };
    out.push_str(&format!("#[derive({derives})]\n"));
    out.push_str(TSIFY_DERIVE);
    if fields.is_empty() {
        out.push_str(&format!("pub struct {} {{}}\n", def.name));
        return;
    }
    out.push_str(&format!("pub struct {} {{\n", def.name));
    for f in fields {
        let mut doc = f.doc.clone();
        if f.deprecated {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push("@deprecated".into());
        }
        push_doc(out, "    ", &doc);
        let optional = !f.required;
        let mut serde = Vec::new();
        if f.ident != f.json {
            serde.push(format!("rename = {}", rust_str(&f.json)));
        }
        if optional {
            serde.push("default".into());
            serde.push("skip_serializing_if = \"Option::is_none\"".into());
        } else if def.module == Module::Params && f.ty == Ty::Str {
            // An empty required argument (e.g. from `..Default::default()`) is left out, so the
            // client reports it missing instead of sending `name=`.
            serde.push("skip_serializing_if = \"String::is_empty\"".into());
        } else if f.nullable {
            serde.push("default".into());
        }
        if !serde.is_empty() {
            out.push_str(&format!("    #[serde({})]\n", serde.join(", ")));
        }
        let mut tsify = Vec::new();
        if optional {
            tsify.push("optional".to_owned());
        }
        if f.ty.needs_ts_override() {
            let ts = if f.nullable && !optional {
                format!("{} | null", ts_ty(&f.ty))
            } else {
                ts_ty(&f.ty)
            };
            tsify.push(format!("type = {}", rust_str(&ts)));
        }
        if !tsify.is_empty() {
            out.push_str(&format!(
                "    #[cfg_attr(all(target_arch = \"wasm32\", feature = \"js-management\"), tsify({}))]\n",
                tsify.join(", ")
            ));
        }
        let ty = rust_ty(&f.ty);
        // A type that contains itself (directly or through other structs) needs a box.
        let ty = if types.reaches(&f.ty, &def.name) {
            format!("Box<{ty}>")
        } else {
            ty
        };
        let ty = if optional || f.nullable {
            format!("Option<{ty}>")
        } else {
            ty
        };
        out.push_str(&format!("    pub {}: {ty},\n", f.ident));
    }
    out.push_str("}\n");
}

fn emit_enum(out: &mut String, def: &TypeDef, values: &[String]) {
    let variants = enum_variants(values);
    let other = other_variant(&variants);
    let mut ts: Vec<String> = values.iter().map(|v| rust_str(v)).collect();
    ts.push("(string & {})".into());
    out.push_str(
        "#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\n",
    );
    out.push_str(&format!(
        "#[cfg_attr(all(target_arch = \"wasm32\", feature = \"js-management\"), derive(tsify::Tsify), tsify(type = {}))]\n",
        rust_str(&ts.join(" | "))
    ));
    out.push_str(&format!("pub enum {} {{\n", def.name));
    for (ident, value) in &variants {
        out.push_str(&format!(
            "    #[serde(rename = {})]\n    {ident},\n",
            rust_str(value)
        ));
    }
    out.push_str(
        "    /// A value this version of the client does not know (the API added it later).\n",
    );
    out.push_str(&format!(
        "    #[serde(untagged)]\n    {other}(String),\n}}\n\n"
    ));
    out.push_str(&format!("impl {} {{\n", def.name));
    out.push_str("    /// The value as the API spells it.\n");
    out.push_str("    pub fn as_str(&self) -> &str {\n        match self {\n");
    for (ident, value) in &variants {
        out.push_str(&format!(
            "            Self::{ident} => {},\n",
            rust_str(value)
        ));
    }
    out.push_str(&format!(
        "            Self::{other}(value) => value,\n        }}\n    }}\n}}\n\n"
    ));
    out.push_str(&format!("impl Default for {} {{\n", def.name));
    out.push_str("    /// The catch-all with an empty value: what a missing field decodes to.\n");
    out.push_str(&format!(
        "    fn default() -> Self {{\n        Self::{other}(String::new())\n    }}\n}}\n"
    ));
}

/// Variant names for enum values, made unique.
pub fn enum_variants(values: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for value in values {
        let mut ident = crate::naming::variant_ident(value);
        while out.iter().any(|(i, _)| *i == ident) {
            ident.push('_');
        }
        out.push((ident, value.clone()));
    }
    out
}

/// The catch-all variant's name: `Other`, unless a value already took it.
pub fn other_variant(variants: &[(String, String)]) -> String {
    let mut name = "Other".to_owned();
    while variants.iter().any(|(i, _)| *i == name) {
        name.push_str("Value");
    }
    name
}

fn emit_union(out: &mut String, def: &TypeDef, tag: Option<&str>, variants: &[UnionVariant]) {
    let ts: Vec<String> = variants
        .iter()
        .map(|v| match (tag, &v.tag_value) {
            (Some(tag), Some(value)) => {
                format!("({{ {tag}: {} }} & {})", rust_str(value), ts_ty(&v.ty))
            }
            _ => ts_ty(&v.ty),
        })
        .collect();
    out.push_str("#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\n");
    match tag {
        Some(tag) => out.push_str(&format!("#[serde(tag = {})]\n", rust_str(tag))),
        None => out.push_str("#[serde(untagged)]\n"),
    }
    out.push_str(&format!(
        "#[cfg_attr(all(target_arch = \"wasm32\", feature = \"js-management\"), derive(tsify::Tsify), tsify(type = {}))]\n",
        rust_str(&ts.join(" | "))
    ));
    out.push_str(&format!("pub enum {} {{\n", def.name));
    for v in variants {
        if let Some(value) = &v.tag_value {
            out.push_str(&format!("    #[serde(rename = {})]\n", rust_str(value)));
        }
        out.push_str(&format!("    {}({}),\n", v.ident, rust_ty(&v.ty)));
    }
    if tag.is_some() {
        out.push_str("    /// A variant this version of the client does not know (the API added it later).\n");
        out.push_str("    #[serde(untagged)]\n    Other(serde_json::Value),\n");
    }
    out.push_str("}\n");
}
