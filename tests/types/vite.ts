// Type-checked (tsc --strict) by tests/js/types.test.mjs: neon-edge/vite in a vite.config.ts,
// with either spelling of the peer's options. Never run.
import { defineConfig, type Plugin } from "vite";
import { postgres, type PostgresPluginOptions } from "neon-edge/vite";
import postgresDefault from "neon-edge/vite";

const options: PostgresPluginOptions = {
  referrer: "my-app",
  env: ".env.local",
  envKey: "DATABASE_URL",
  envPrefix: "VITE_",
  settings: { logicalReplication: false },
  seed: { type: "sql-script", path: "./schema.sql" },
  failOnError: false,
  baseUrl: "http://127.0.0.1:1/api/v1",
  sqlEndpoint: "http://127.0.0.1:1/sql",
  timeoutMs: 10_000,
};
const plugin: Plugin = postgres(options);

export default defineConfig({
  plugins: [plugin, postgresDefault({ referrer: "my-app", dotEnvFile: ".env", dotEnvKey: "PG_URL" })],
});

// @ts-expect-error: referrer is required
postgres({});
// @ts-expect-error: the seed needs its type
postgres({ referrer: "x", seed: { path: "s.sql" } });
// @ts-expect-error: failOnError is a boolean
postgres({ referrer: "x", failOnError: "yes" });
