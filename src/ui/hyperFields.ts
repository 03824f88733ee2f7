/**
 * Form fields generated from an algorithm's zod hyper-parameter schema (zod v4 introspection), and
 * validation of the form's raw values back through the same schema, with messages per field.
 */
import type { AlgorithmSpec } from '../core/engine/algorithm';

/** 'list': a tuple or array of numbers, edited as comma-separated text (e.g. Adam's betas). */
export type HyperFieldKind = 'number' | 'boolean' | 'enum' | 'list' | 'text';

export interface HyperField {
  name: string;
  kind: HyperFieldKind;
  default: unknown;
  options?: string[];
  min?: number;
  max?: number;
  integer?: boolean;
  nullable?: boolean;
}

/** Raw form values: numbers are edited as text so '1e-3' and half-typed values survive. */
export type HyperDraft = Record<string, string | boolean>;

interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike; in?: ZodLike; shape?: Record<string, ZodLike>; defaultValue?: unknown; entries?: Record<string, string> } };
  options?: string[];
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
}

function unwrap(s: ZodLike): { core: ZodLike; def: unknown; nullable: boolean } {
  let core = s;
  let def: unknown = undefined;
  let nullable = false;
  for (let i = 0; i < 10; i++) {
    const d = core._zod.def;
    if (d.type === 'default' || d.type === 'prefault') {
      if (def === undefined) def = d.defaultValue;
      core = d.innerType!;
    } else if (d.type === 'optional' || d.type === 'nullable' || d.type === 'readonly') {
      if (d.type === 'nullable') nullable = true;
      core = d.innerType!;
    } else if (d.type === 'pipe') core = d.in!;
    else break;
  }
  return { core, def, nullable };
}

function objectShape(s: ZodLike): Record<string, ZodLike> | null {
  let core = s;
  for (let i = 0; i < 10; i++) {
    const d = core._zod.def;
    if (d.type === 'object') return d.shape ?? null;
    if (d.innerType) core = d.innerType;
    else if (d.in) core = d.in;
    else return null;
  }
  return null;
}

const cache = new WeakMap<object, HyperField[]>();

/** The fields of an algorithm's hyper-parameter schema, in declaration order. */
export function hyperFields(alg: AlgorithmSpec): HyperField[] {
  const hit = cache.get(alg);
  if (hit) return hit;
  const shape = objectShape(alg.hyper as unknown as ZodLike) ?? {};
  let defaults: Record<string, unknown> = {};
  const parsed = alg.hyper.safeParse({});
  if (parsed.success) defaults = parsed.data as Record<string, unknown>;
  const fields = Object.entries(shape).map(([name, s]): HyperField => {
    const { core, def, nullable } = unwrap(s);
    const dflt = name in defaults ? defaults[name] : def;
    const t = core._zod.def.type;
    if (t === 'boolean') return { name, kind: 'boolean', default: dflt ?? false };
    if (t === 'enum') return { name, kind: 'enum', default: dflt, options: core.options ?? Object.values(core._zod.def.entries ?? {}) };
    if (t === 'number' || t === 'int')
      return {
        name,
        kind: 'number',
        default: dflt,
        min: core.minValue ?? undefined,
        max: core.maxValue ?? undefined,
        integer: !!core.isInt,
        nullable,
      };
    if (t === 'tuple' || t === 'array') return { name, kind: 'list', default: dflt, nullable };
    return { name, kind: 'text', default: dflt };
  });
  cache.set(alg, fields);
  return fields;
}

/** Form values for an algorithm from (validated) hyper-parameters, or its defaults. */
export function hyperDraft(alg: AlgorithmSpec, hyper: Record<string, unknown> = {}): HyperDraft {
  const out: HyperDraft = {};
  for (const f of hyperFields(alg)) {
    const v = f.name in hyper ? hyper[f.name] : f.default;
    out[f.name] = f.kind === 'boolean' ? Boolean(v) : v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Converts form values to the schema's input types (numbers parsed; blanks omitted → defaults). */
export function draftToHyper(alg: AlgorithmSpec, draft: HyperDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of hyperFields(alg)) {
    const v = draft[f.name];
    if (v === undefined) continue;
    if (f.kind === 'number') {
      const s = String(v).trim();
      if (s === '') {
        if (f.nullable) out[f.name] = null;
        continue;
      }
      const n = Number(s);
      out[f.name] = Number.isNaN(n) ? s : n;
    } else if (f.kind === 'list') {
      const s = String(v).trim();
      if (s === '') {
        if (f.nullable) out[f.name] = null;
        continue;
      }
      out[f.name] = s
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map((x) => (x.trim() === '' || Number.isNaN(Number(x)) ? x.trim() : Number(x)));
    } else out[f.name] = v;
  }
  return out;
}

export type HyperCheck = { ok: true; hyper: Record<string, unknown> } | { ok: false; fieldErrors: Record<string, string>; errors: string[] };

/** Validates form values; errors are keyed by field ('' for errors on the whole object). */
export function checkHyper(alg: AlgorithmSpec, draft: HyperDraft): HyperCheck {
  const r = alg.hyper.safeParse(draftToHyper(alg, draft));
  if (r.success) return { ok: true, hyper: r.data as Record<string, unknown> };
  const fieldErrors: Record<string, string> = {};
  const errors: string[] = [];
  const kinds = new Map(hyperFields(alg).map((f) => [f.name, f.kind]));
  for (const i of r.error.issues) {
    const key = String(i.path[0] ?? '');
    const kind = kinds.get(key);
    const generic = i.code === 'invalid_type' || /^Invalid input/.test(i.message);
    const msg = generic && kind === 'number' ? `${key} must be a number` : generic && kind === 'list' ? `${key}: numbers separated by commas` : i.message;
    if (!(key in fieldErrors)) fieldErrors[key] = msg;
    errors.push(key ? `${key}: ${msg}` : msg);
  }
  return { ok: false, fieldErrors, errors };
}
