import { invalid } from '../core/index.js';
import type { Graph, Slot } from './graph.js';
import type { ColumnType, TransformColumn } from './transform.entity.js';

export interface Entry {
  readonly name: string;
  readonly type: ColumnType;
  readonly slot: Slot;
}

/**
 * The columns a step sees, in order, each bound to the graph slot holding its value. A dry run (no data)
 * cannot know a one-hot step's categories, so it leaves a prefix that stands for every `<column>_...`.
 */
export class Table {
  private entries: Entry[];
  private open: { prefix: string; slot: Slot }[] = [];

  constructor(entries: Entry[]) {
    this.entries = entries;
  }

  static fromInputs(columns: readonly TransformColumn[], graph: Graph): Table {
    return new Table(columns.map((c) => ({ name: c.name, type: c.type, slot: graph.input(c.name, c.type) })));
  }

  find(name: string): Entry | undefined {
    const entry = this.entries.find((e) => e.name === name);
    if (entry) return entry;
    const open = this.open.find((o) => name.startsWith(o.prefix));
    return open && { name, type: 'integer', slot: open.slot };
  }

  /** The column named at `field` (e.g. `steps[2].columns[0]`), or invalid_argument naming it. */
  resolve(name: string, field: string): Entry {
    const entry = this.find(name);
    if (!entry) {
      throw invalid(`${field}: no column '${name}' at this step (columns: ${this.describe()})`, {
        field,
        column: name,
      });
    }
    return entry;
  }

  /** Replaces the column in place with `replacement` (none: removes it), or appends when it is new. */
  put(name: string, replacement: Entry[], field: string): void {
    for (const e of replacement) {
      if (e.name !== name && this.entries.some((x) => x.name === e.name)) {
        throw invalid(`${field}: output column '${e.name}' already exists`, { field, column: e.name });
      }
    }
    const names = new Set(replacement.map((e) => e.name));
    if (names.size !== replacement.length) {
      throw invalid(`${field}: the step would produce two columns of one name`, { field });
    }
    const at = this.entries.findIndex((e) => e.name === name);
    if (at < 0) this.entries.push(...replacement);
    else this.entries.splice(at, 1, ...replacement);
  }

  /** Stands for the columns `<prefix>...` a one-hot step will make once fitted. */
  openPrefix(prefix: string, slot: Slot): void {
    this.open.push({ prefix, slot });
  }

  columns(): Entry[] {
    return [...this.entries];
  }

  snapshot(): { entries: Entry[]; open: { prefix: string; slot: Slot }[] } {
    return { entries: [...this.entries], open: [...this.open] };
  }

  restore(snapshot: { entries: Entry[]; open: { prefix: string; slot: Slot }[] }): void {
    this.entries = [...snapshot.entries];
    this.open = [...snapshot.open];
  }

  private describe(): string {
    const names = this.entries.map((e) => `'${e.name}'`);
    return names.length > 12 ? `${names.slice(0, 12).join(', ')}, ...` : names.join(', ') || 'none';
  }
}
