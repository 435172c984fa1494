// The page's entry: reads where the services are (/config.json, written by serve.mjs), fills
// the fields (which stay editable), and wires the three sections to them.
import { $, say } from "./ui.js";
import { setupInstantDatabase } from "./instant.js";
import { setupSqlConsole } from "./sql-console.js";
import { setupManagement } from "./management.js";

const note = $("target-note");
try {
  const response = await fetch("/config.json");
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = await response.json();
  $("management-url").value = config.managementBaseUrl;
  $("claimable-url").value = config.claimableBaseUrl;
  $("sql-endpoint").value = config.sqlEndpoint;
  if (config.target === "emulator") {
    // The emulator takes any non-empty key; this one is no secret.
    $("api-key").value = "local-emulator-key";
    say(note, `Against the local Neon emulator at ${new URL(config.managementBaseUrl).origin}: no account, no network. ` +
      "Point the fields below at a proxy to use Neon.");
  }
} catch (e) {
  say(note, `No service settings from the server (${e.message}): fill in the fields below.`);
}

/** A field's trimmed value, or undefined when blank (the package's own default then applies). */
const field = (id) => () => $(id).value.trim() || undefined;

const sqlConsole = setupSqlConsole({ sqlEndpoint: field("sql-endpoint") });
setupInstantDatabase({ claimableBaseUrl: field("claimable-url"), onDatabase: (db) => sqlConsole.use(db) });
setupManagement({ baseUrl: field("management-url"), apiKeyInput: $("api-key") });
document.body.dataset.ready = "true";
