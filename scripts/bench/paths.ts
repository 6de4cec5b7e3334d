import * as path from 'path';

// this file sits in scripts/bench/, so the project root is two levels up
export const ROOT = path.resolve(__dirname, '..', '..');
export const PROBE = path.join(ROOT, 'scripts', 'bench-probe.js');
export const TSC_REGISTER = path.join(ROOT, 'scripts', 'bench-naive', 'tsc-register.js');
export const TIME_BIN = '/usr/bin/time';
