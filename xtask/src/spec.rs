//! Loading the OpenAPI spec: the pinned npm package's YAML, merged with
//! `xtask/extra-operations.yaml` (endpoints the docs describe but the spec lacks).

use std::fs;
use std::path::Path;
use yaml_rust2::yaml::Hash;
use yaml_rust2::{Yaml, YamlLoader};

/// The npm package that ships the spec, and the file inside it.
pub const SPEC_PACKAGE: &str = "@neondatabase/api-client";
pub const SPEC_FILE: &str = "public-v2-for-users.gen.yaml";
/// The fragment merged into the spec, relative to the workspace root.
pub const EXTRA_FILE: &str = "xtask/extra-operations.yaml";

/// The merged spec and where it came from.
pub struct Spec {
    pub root: Yaml,
    /// The installed package version, e.g. `2.7.3`.
    pub version: String,
    /// Operation ids that come from the extra fragment.
    pub extra_operation_ids: Vec<String>,
}

/// Reads the pinned spec and merges the extra fragment. Fails when the installed package
/// does not match the version pinned in the root `package.json`.
pub fn load(workspace: &Path) -> Result<Spec, String> {
    let pinned = pinned_version(workspace)?;
    let package_dir = workspace.join("node_modules").join(SPEC_PACKAGE);
    let installed = read_json_string_field(&package_dir.join("package.json"), "version")?;
    if installed != pinned {
        return Err(format!(
            "{SPEC_PACKAGE} {installed} is installed but package.json pins {pinned}: run `npm install`"
        ));
    }
    let mut root = load_yaml(&package_dir.join(SPEC_FILE))?;
    let extra = load_yaml(&workspace.join(EXTRA_FILE))?;
    let extra_operation_ids = merge(&mut root, &extra)?;
    Ok(Spec {
        root,
        version: installed,
        extra_operation_ids,
    })
}

fn load_yaml(path: &Path) -> Result<Yaml, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut docs =
        YamlLoader::load_from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if docs.len() != 1 {
        return Err(format!(
            "{}: expected one YAML document, found {}",
            path.display(),
            docs.len()
        ));
    }
    Ok(docs.remove(0))
}

/// The version of the spec package in the root package.json's devDependencies.
pub fn pinned_version(workspace: &Path) -> Result<String, String> {
    let path = workspace.join("package.json");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // JSON is YAML, so the YAML parser reads package.json too.
    let docs = YamlLoader::load_from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let version = docs
        .first()
        .and_then(|d| {
            d["devDependencies"][SPEC_PACKAGE]
                .as_str()
                .or(d["dependencies"][SPEC_PACKAGE].as_str())
        })
        .ok_or_else(|| format!("{} does not list {SPEC_PACKAGE}", path.display()))?;
    if !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!(
            "{SPEC_PACKAGE} must be pinned to an exact version in package.json, not `{version}`"
        ));
    }
    Ok(version.to_owned())
}

fn read_json_string_field(path: &Path, field: &str) -> Result<String, String> {
    let text = fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e} (run `npm install`)", path.display()))?;
    let docs = YamlLoader::load_from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    docs.first()
        .and_then(|d| d[field].as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("{} has no `{field}`", path.display()))
}

/// Adds the fragment's paths, operations and schemas to the spec. Where the spec already
/// has an operation or schema, the spec wins and a warning says the extra one can go.
fn merge(root: &mut Yaml, extra: &Yaml) -> Result<Vec<String>, String> {
    let mut existing_ids = Vec::new();
    for (_, item) in entries(&root["paths"]) {
        for (_, op) in entries(item) {
            if let Some(id) = op["operationId"].as_str() {
                existing_ids.push(id.to_owned());
            }
        }
    }
    let mut added = Vec::new();
    let Yaml::Hash(root_map) = root else {
        return Err("the spec is not a mapping".into());
    };
    let paths = hash_mut(root_map, "paths")?;
    for (path, item) in entries(&extra["paths"]) {
        let key = Yaml::String(path.clone());
        if !paths.contains_key(&key) {
            paths.insert(key.clone(), Yaml::Hash(Hash::new()));
        }
        let Some(Yaml::Hash(target)) = paths.get_mut(&key) else {
            return Err(format!("paths.{path} is not a mapping"));
        };
        for (method, op) in entries(item) {
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            let method_key = Yaml::String(method.clone());
            if target.contains_key(&method_key) || existing_ids.contains(&id) {
                eprintln!(
                    "warning: {EXTRA_FILE}: {} {path} ({id}) is now in the spec; remove it from the extra file",
                    method.to_uppercase()
                );
                continue;
            }
            target.insert(method_key, op.clone());
            added.push(id);
        }
    }
    let Yaml::Hash(components) = root_map
        .entry(Yaml::String("components".into()))
        .or_insert_with(|| Yaml::Hash(Hash::new()))
    else {
        return Err("components is not a mapping".into());
    };
    let schemas = hash_mut(components, "schemas")?;
    for (name, schema) in entries(&extra["components"]["schemas"]) {
        let key = Yaml::String(name.clone());
        if schemas.contains_key(&key) {
            eprintln!("warning: {EXTRA_FILE}: schema {name} is now in the spec; remove it from the extra file");
            continue;
        }
        schemas.insert(key, schema.clone());
    }
    Ok(added)
}

fn hash_mut<'a>(map: &'a mut Hash, key: &str) -> Result<&'a mut Hash, String> {
    match map
        .entry(Yaml::String(key.into()))
        .or_insert_with(|| Yaml::Hash(Hash::new()))
    {
        Yaml::Hash(h) => Ok(h),
        _ => Err(format!("`{key}` is not a mapping")),
    }
}

/// The entries of a mapping with their keys as text (`200` becomes `"200"`); empty for
/// anything else.
pub fn entries(node: &Yaml) -> Vec<(String, &Yaml)> {
    match node {
        Yaml::Hash(map) => map
            .iter()
            .filter_map(|(k, v)| Some((key_text(k)?, v)))
            .collect(),
        _ => Vec::new(),
    }
}

fn key_text(key: &Yaml) -> Option<String> {
    match key {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether a node is present (not missing and not null).
pub fn present(node: &Yaml) -> bool {
    !matches!(node, Yaml::BadValue | Yaml::Null)
}

/// A string field, if set.
pub fn text(node: &Yaml) -> Option<&str> {
    node.as_str()
}

/// A boolean flag; missing means false.
pub fn flag(node: &Yaml) -> bool {
    node.as_bool().unwrap_or(false)
}

/// The items of a sequence; empty for anything else.
pub fn items(node: &Yaml) -> &[Yaml] {
    node.as_vec().map(Vec::as_slice).unwrap_or(&[])
}

/// Follows a local `$ref` (`#/components/...`) to its target.
pub fn resolve<'a>(root: &'a Yaml, reference: &str) -> Result<&'a Yaml, String> {
    let pointer = reference
        .strip_prefix("#/")
        .ok_or_else(|| format!("only local references are supported, not `{reference}`"))?;
    let mut node = root;
    for part in pointer.split('/') {
        let part = part.replace("~1", "/").replace("~0", "~");
        node = &node[part.as_str()];
        if node.is_badvalue() {
            return Err(format!("unresolved reference `{reference}`"));
        }
    }
    Ok(node)
}

/// The last segment of a `$ref`, e.g. `Project` for `#/components/schemas/Project`.
pub fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}
