//! How one schema becomes a kind (struct, string enum, union, alias) or a field type, declaring
//! the inline objects and enums it meets under names taken from where they appear.

use super::{Field, Kind, Module, Ty, Types, UnionVariant};
use crate::naming::{doc_lines, field_ident, variant_ident};
use crate::spec::{entries, flag, items, present, resolve, text};
use std::collections::BTreeSet;
use yaml_rust2::Yaml;

impl Types<'_> {
    pub(super) fn kind_of(
        &mut self,
        name: &str,
        schema: &Yaml,
        module: Module,
    ) -> Result<Kind, String> {
        if let Some(values) = string_enum(schema) {
            return Ok(Kind::Enum(values));
        }
        if present(&schema["oneOf"]) || present(&schema["anyOf"]) {
            return self.union(name, schema, module);
        }
        let all_of = items(&schema["allOf"]);
        let is_object = present(&schema["properties"])
            || all_of.len() > 1
            || (all_of.len() == 1 && present(&schema["properties"]))
            || (text(&schema["type"]) == Some("object")
                && !present(&schema["additionalProperties"])
                && all_of.is_empty());
        if is_object {
            let mut fields = Vec::new();
            let mut required = BTreeSet::new();
            self.collect_fields(name, schema, module, &mut fields, &mut required)?;
            for f in &mut fields {
                f.required = required.contains(&f.json);
            }
            return Ok(Kind::Struct(fields));
        }
        Ok(Kind::Alias(self.ty_of(schema, name, module)?))
    }

    /// Gathers the properties of an object schema and of everything it `allOf`-includes.
    fn collect_fields(
        &mut self,
        owner: &str,
        schema: &Yaml,
        module: Module,
        fields: &mut Vec<Field>,
        required: &mut BTreeSet<String>,
    ) -> Result<(), String> {
        if let Some(reference) = text(&schema["$ref"]) {
            let target = resolve(self.root, reference)?;
            let Ty::Named(target_name) = self.named_ref(reference)? else {
                unreachable!()
            };
            return self.collect_fields(&target_name, target, module, fields, required);
        }
        for member in items(&schema["allOf"]) {
            self.collect_fields(owner, member, module, fields, required)?;
        }
        for r in items(&schema["required"]) {
            if let Some(r) = r.as_str() {
                required.insert(r.to_owned());
            }
        }
        for (json, prop) in entries(&schema["properties"]) {
            if fields.iter().any(|f| f.json == json) {
                continue;
            }
            let context = format!("{owner}{}", crate::naming::pascal(&json));
            let ty = self.ty_of(prop, &context, module)?;
            let mut ident = field_ident(&json);
            while fields.iter().any(|f| f.ident == ident) {
                ident.push('_');
            }
            fields.push(Field {
                json,
                ident,
                ty,
                required: false,
                nullable: is_nullable(prop),
                doc: description(prop),
                deprecated: flag(&prop["deprecated"]),
            });
        }
        Ok(())
    }

    fn union(&mut self, name: &str, schema: &Yaml, module: Module) -> Result<Kind, String> {
        let members = if present(&schema["oneOf"]) {
            items(&schema["oneOf"])
        } else {
            items(&schema["anyOf"])
        };
        let discriminator = text(&schema["discriminator"]["propertyName"]).map(str::to_owned);
        let mapping: Vec<(String, String)> = entries(&schema["discriminator"]["mapping"])
            .into_iter()
            .filter_map(|(value, target)| Some((value, target.as_str()?.to_owned())))
            .collect();
        let mut variants = Vec::new();
        let mut declares_tag = false;
        for (i, member) in members.iter().enumerate() {
            let ty = self.ty_of(member, &format!("{name}Variant{}", i + 1), module)?;
            let reference = text(&member["$ref"]);
            let tag_value = reference
                .and_then(|r| mapping.iter().find(|(_, t)| t == r).map(|(v, _)| v.clone()));
            if let (Some(tag), Some(r)) = (&discriminator, reference) {
                if present(&resolve(self.root, r)?["properties"][tag.as_str()]) {
                    declares_tag = true;
                }
            }
            let ident = match (&tag_value, &ty) {
                (Some(v), _) => variant_ident(v),
                (None, Ty::Named(n)) => n.clone(),
                (None, _) => format!("Variant{}", i + 1),
            };
            variants.push(UnionVariant {
                ident,
                tag_value,
                ty,
            });
        }
        let tagged = discriminator.is_some()
            && !declares_tag
            && variants.iter().all(|v| v.tag_value.is_some());
        if !tagged {
            for v in &mut variants {
                v.tag_value = None;
            }
        }
        Ok(Kind::Union {
            tag: if tagged { discriminator } else { None },
            variants,
        })
    }

    /// The type of a schema in field position; inline objects and enums are declared under
    /// `context`.
    pub fn ty_of(&mut self, schema: &Yaml, context: &str, module: Module) -> Result<Ty, String> {
        if let Some(reference) = text(&schema["$ref"]) {
            return self.named_ref(reference);
        }
        let all_of = items(&schema["allOf"]);
        if all_of.len() == 1 && !present(&schema["properties"]) {
            return self.ty_of(&all_of[0], context, module);
        }
        // The node's address tells the same inline schema (reached again through a `$ref`)
        // from another one that happens to get the same name.
        let origin = format!("inline:{:p}", schema);
        if string_enum(schema).is_some()
            || present(&schema["properties"])
            || !all_of.is_empty()
            || present(&schema["oneOf"])
            || present(&schema["anyOf"])
        {
            let name = self.declare(context, &origin, schema, module)?;
            return Ok(Ty::Named(name));
        }
        Ok(match text(&schema["type"]) {
            Some("string") if text(&schema["format"]) == Some("binary") => Ty::Bytes,
            Some("string") => Ty::Str,
            Some("integer") => {
                if text(&schema["format"]) == Some("int32") {
                    Ty::I32
                } else {
                    Ty::I64
                }
            }
            Some("number") => Ty::F64,
            Some("boolean") => Ty::Bool,
            Some("array") => Ty::Vec(Box::new(self.ty_of(
                &schema["items"],
                &format!("{context}Item"),
                module,
            )?)),
            Some("object") | None if present(&schema["additionalProperties"]) => {
                let value = &schema["additionalProperties"];
                let inner = if value.as_bool().is_some() {
                    Ty::Any
                } else {
                    self.ty_of(value, &format!("{context}Value"), module)?
                };
                Ty::Map(Box::new(inner))
            }
            Some("object") => Ty::Map(Box::new(Ty::Any)),
            _ => Ty::Any,
        })
    }
}

/// The values of a string enum schema.
fn string_enum(schema: &Yaml) -> Option<Vec<String>> {
    let values = items(&schema["enum"]);
    if values.is_empty() || text(&schema["type"]).is_some_and(|t| t != "string") {
        return None;
    }
    values
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Whether a property may be `null`: `nullable: true` on it (or beside its single `allOf`).
fn is_nullable(schema: &Yaml) -> bool {
    flag(&schema["nullable"])
}

/// The doc lines of a schema: its title and description.
pub fn description(schema: &Yaml) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(title) = text(&schema["title"]) {
        lines.extend(doc_lines(title));
    }
    if let Some(desc) = text(&schema["description"]) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(doc_lines(desc));
    }
    lines
}
