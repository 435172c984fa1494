// Child process of faults-envfile.test.mjs: loads the package, says "ready", waits for the
// go byte on stdin, then appends a claimable database's block to the env file with the
// package's own atomic write. The parent kills it with SIGKILL at a random moment.
import { writeClaimableEnv } from "neon-edge/node";

const [envFile, databaseJson] = process.argv.slice(2);
const database = JSON.parse(databaseJson);
process.stdin.once("data", () => {
  writeClaimableEnv(envFile, database);
  process.stdout.write("done\n", () => process.exit(0));
});
process.stdout.write("ready\n");
