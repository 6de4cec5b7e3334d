/** Reading a synthesized stack (stacks/<name>/cdk.tf.json) and splitting it into addressable blocks. */
import * as fs from 'fs';
import * as path from 'path';
import { type Block, type Json, type JsonObject, SECRET_KEY_PATTERN, type SectionName } from './types';

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readStackJson(outdir: string, stack: string): JsonObject {
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) return {};
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${file} is not a JSON object`);
  return parsed;
}

/** Deep copy without cdktf metadata (`//` keys) and with root paths normalized. */
export function clean(value: Json, roots: string[]): Json {
  if (Array.isArray(value)) return value.map((v) => clean(v, roots));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      if (key === '//') continue;
      out[key] = clean(value[key], roots);
    }
    return out;
  }
  if (typeof value === 'string') {
    let s = value;
    for (const root of roots) if (root) s = s.split(root).join('<repo>');
    return s;
  }
  return value;
}

/** Splits one stack's Terraform JSON into addressable blocks. */
export function extractBlocks(tf: JsonObject): Map<string, Block> {
  const blocks = new Map<string, Block>();
  const add = (b: Omit<Block, 'sensitivePrefixes' | 'secretName'> & Partial<Block>) =>
    blocks.set(`${b.section}:${b.address}`, {
      sensitivePrefixes: [],
      secretName: false,
      ...b,
    });

  for (const [key, value] of Object.entries(tf)) {
    if (key === '//') continue;
    switch (key) {
      case 'resource':
      case 'data': {
        if (!isObject(value)) break;
        for (const [type, byName] of Object.entries(value)) {
          if (!isObject(byName)) continue;
          for (const [name, body] of Object.entries(byName)) {
            add({
              section: key === 'resource' ? 'resources' : 'dataSources',
              address: key === 'resource' ? `${type}.${name}` : `data.${type}.${name}`,
              value: body,
            });
          }
        }
        break;
      }
      case 'output':
      case 'variable':
      case 'module': {
        if (!isObject(value)) break;
        for (const [name, body] of Object.entries(value)) {
          const sensitive = isObject(body) && body.sensitive === true;
          const section: SectionName = key === 'output' ? 'outputs' : key === 'variable' ? 'variables' : 'modules';
          add({
            section,
            address: key === 'output' ? name : key === 'variable' ? `var.${name}` : `module.${name}`,
            value: body,
            sensitivePrefixes: sensitive ? [[key === 'output' ? 'value' : 'default']] : [],
            secretName: key !== 'module' && SECRET_KEY_PATTERN.test(name),
          });
        }
        break;
      }
      case 'locals': {
        if (!isObject(value)) break;
        for (const [name, body] of Object.entries(value)) {
          add({
            section: 'locals',
            address: `local.${name}`,
            value: body,
            secretName: SECRET_KEY_PATTERN.test(name),
          });
        }
        break;
      }
      case 'provider': {
        if (!isObject(value)) break;
        for (const [name, configs] of Object.entries(value)) {
          const list = Array.isArray(configs) ? configs : [configs];
          list.forEach((cfg, i) => {
            const alias = isObject(cfg) && typeof cfg.alias === 'string' ? cfg.alias : undefined;
            add({
              section: 'providers',
              address: alias ? `provider.${name}.${alias}` : i === 0 ? `provider.${name}` : `provider.${name}[${i}]`,
              value: cfg,
            });
          });
        }
        break;
      }
      case 'terraform':
        add({ section: 'terraform', address: 'terraform', value });
        break;
      default:
        add({ section: 'other', address: key, value });
    }
  }
  return blocks;
}
