/** Reduces a synthesized stack (cdk.tf.json) to a StackRecord: what decides replacement, nothing else. */
import { createHash } from 'crypto';
import type { Json, JsonObject, StackRecord } from './types';
import { isObject } from '../diff/read';

/**
 * Strings longer than this (Helm values, policy documents, Lambda zips' hashes, ConfigMap files)
 * are stored as their SHA-256: equal strings still compare equal, and a record stays reviewable.
 */
export const LONG_STRING = 200;

/** A deep copy without cdktf's `//` metadata and with long strings hashed. */
export function reduceValue(value: Json): Json {
  if (Array.isArray(value)) return value.map(reduceValue);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) if (key !== '//') out[key] = reduceValue(value[key]!);
    return out;
  }
  if (typeof value === 'string' && value.length > LONG_STRING) return `sha256:${createHash('sha256').update(value).digest('hex')}`;
  return value;
}

/** Every `type.name` a Terraform expression refers to (`${aws_lb.alb.arn}` → `aws_lb.alb`), data sources excluded. */
export function referencedAddresses(value: Json): string[] {
  const found = new Set<string>();
  const walk = (v: Json): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\$\{([^}]*)\}/g))
        for (const r of m[1]!.matchAll(/(?<![\w.-])([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/g))
          if (r[1] !== 'data' && r[1] !== 'var' && r[1] !== 'local' && r[1] !== 'module' && r[1]!.includes('_'))
            found.add(`${r[1]}.${r[2]}`);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found].sort();
}

const asList = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The StackRecord of one stack's Terraform JSON. */
export function reduceStack(tf: JsonObject): StackRecord {
  const resources: Record<string, JsonObject> = {};
  const byType = isObject(tf.resource) ? tf.resource : {};
  for (const type of Object.keys(byType).sort()) {
    const byName = byType[type];
    if (!isObject(byName)) continue;
    for (const name of Object.keys(byName).sort()) resources[`${type}.${name}`] = reduceValue(byName[name]!) as JsonObject;
  }
  const moved: Record<string, string> = {};
  for (const m of asList(tf.moved)) if (isObject(m)) moved[String(m.from)] = String(m.to);
  const removed: Record<string, boolean> = {};
  for (const r of asList(tf.removed)) if (isObject(r)) removed[String(r.from)] = !(isObject(r.lifecycle) && r.lifecycle.destroy === false);
  const outputs: Record<string, string[]> = {};
  const byOutput = isObject(tf.output) ? tf.output : {};
  for (const name of Object.keys(byOutput).sort())
    outputs[name] = referencedAddresses(isObject(byOutput[name]) ? ((byOutput[name] as JsonObject).value ?? null) : null);
  const providers = isObject(tf.provider) ? asList(tf.provider.aws) : [];
  const main = providers.find((p) => isObject(p) && p.alias === undefined);
  const region = isObject(main) && typeof main.region === 'string' ? main.region : undefined;
  return { resources, moved, removed, outputs, ...(region ? { region } : {}) };
}
