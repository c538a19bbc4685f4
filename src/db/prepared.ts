import type { Database, Statement as SqlJsStatement } from 'sql.js';
import type { Template } from './template';

/** Shapes kept prepared per connection; past this many they are all dropped and prepared again as they come. */
const MAX_PREPARED = 64;

/**
 * One connection's prepared statements for the shapes of its writes (template.ts): a write of a
 * shape seen before binds its literals and steps, without SQLite parsing and planning it again.
 */
export class PreparedTemplates {
  private readonly statements = new Map<string, SqlJsStatement>();

  constructor(private readonly db: Database) {}

  /** Run the template's statement once, as db.run runs the text it came from: same rows, same errors. */
  run(t: Template): void {
    let stmt = this.statements.get(t.sql);
    if (stmt === undefined) {
      // Text that does not prepare throws here with SQLite's message, as db.run would; nothing is kept.
      stmt = this.db.prepare(t.sql);
      if (this.statements.size >= MAX_PREPARED) this.clear();
      this.statements.set(t.sql, stmt);
    }
    try {
      stmt.bind(t.values as (number | string)[]);
      stmt.step();
    } finally {
      stmt.reset();
    }
  }

  /** Free them all (before the schema or a setting changes). */
  clear(): void {
    for (const stmt of this.statements.values()) stmt.free();
    this.statements.clear();
  }
}
