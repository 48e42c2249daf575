/**
 * Messages that cross a process boundary as JSON, written as a table: one shape per message kind,
 * naming each field's type ("string", or "number?" for an optional one). The table gives both the
 * TypeScript union of the messages and the decoder that checks a parsed JSON value against it, so
 * the type and the check cannot drift apart. The supervisor's protocol and the handoff protocol are
 * written this way, and their golden files (test/fixtures/protocol) are read with the same tables.
 */

type FieldType = 'string' | 'number' | 'boolean' | 'string[]';

/** A field's type; a trailing "?" makes it optional (Go leaves a zero value out with omitempty). */
type FieldSpec = FieldType | `${FieldType}?`;

/** Message kind → field → type. The kind itself travels in the tag field ("op", "event"). */
export type MessageShapes = Readonly<Record<string, Readonly<Record<string, FieldSpec>>>>;

type ValueOf<S> = S extends 'string' | 'string?'
  ? string
  : S extends 'number' | 'number?'
    ? number
    : S extends 'boolean' | 'boolean?'
      ? boolean
      : S extends 'string[]' | 'string[]?'
        ? string[]
        : never;

type Fields<F> = { [K in keyof F as F[K] extends `${string}?` ? never : K]: ValueOf<F[K]> } & {
  [K in keyof F as F[K] extends `${string}?` ? K : never]?: ValueOf<F[K]>;
};

type Flat<T> = { [K in keyof T]: T[K] };

/** The union of a table's messages, each with its kind in the `Tag` field. */
export type MessageOf<Tag extends string, Table extends MessageShapes> = {
  [Kind in keyof Table & string]: Flat<{ [T in Tag]: Kind } & Fields<Table[Kind]>>;
}[keyof Table & string];

export type Decoded<T> = { ok: true; message: T } | { ok: false; error: string };

/**
 * Checks a parsed JSON value against the table: an object whose `tag` names a kind of the table,
 * with every required field present and every field of its type. The message returned has only
 * the fields the table knows (what a newer peer adds is left out).
 */
export function decodeMessage<Tag extends string, Table extends MessageShapes>(tag: Tag, table: Table, value: unknown): Decoded<MessageOf<Tag, Table>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  const kind = record[tag];
  if (typeof kind !== 'string') return { ok: false, error: `no "${tag}" string` };
  if (!Object.hasOwn(table, kind)) return { ok: false, error: `unknown ${tag} "${kind}"` };
  const message: Record<string, unknown> = { [tag]: kind };
  for (const [field, spec] of Object.entries(table[kind])) {
    const optional = spec.endsWith('?');
    const type = (optional ? spec.slice(0, -1) : spec) as FieldType;
    const fieldValue = record[field];
    if (fieldValue === undefined) {
      if (!optional) return { ok: false, error: `${tag} "${kind}" has no "${field}"` };
      continue;
    }
    if (!isOfType(fieldValue, type)) return { ok: false, error: `${tag} "${kind}": "${field}" is not a ${type}` };
    message[field] = fieldValue;
  }
  return { ok: true, message: message as MessageOf<Tag, Table> };
}

function isOfType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}
