// Before the tests: the native database module must be Node's build (npm start switches it to
// Electron's). Rebuilding takes a minute, so it only happens when needed.
import { rebuildSqliteForNode, sqliteBuiltForNode } from './native-modules.mjs';

if (!sqliteBuiltForNode() && !(rebuildSqliteForNode() && sqliteBuiltForNode())) {
  process.stderr.write('better-sqlite3 does not load in Node. Run `npm rebuild better-sqlite3` and check its build output.\n');
  process.exit(1);
}
