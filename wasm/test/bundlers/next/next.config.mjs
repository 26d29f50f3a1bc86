// A static export: the App Router page is a client component, served as files.
// The root is this directory: the fixture sits inside a repository with its own lockfile.
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export default { output: "export", turbopack: { root }, outputFileTracingRoot: root };
