#!/usr/bin/env node
'use strict';
/**
 * package-lock.json checks that need no network (`npm ci` on a fresh clone is the full check, in .ci/run):
 *   - complete: every optional dependency a locked package names (other platforms' native builds
 *     included) is itself locked — `npm ci` refuses a lockfile without them, `npm install` adds them back;
 *   - every locked package's declared Node engine admits the lowest Node this project declares;
 *   - no registry URLs ("resolved"), as the project's .npmrc writes it, so any registry mirror installs it.
 *   node scripts/check-lockfile.js
 */
const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver');

const root = path.resolve(__dirname, '..');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const problems = [];

const minNode = semver.minVersion(pkg.engines.node);
const packages = lock.packages;

/** Node's lookup: node_modules/<name> beside the requiring package, then in each parent. */
function locate(from, name) {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

for (const [where, entry] of Object.entries(packages)) {
  for (const name of Object.keys(entry.optionalDependencies || {})) {
    if (!locate(where, name)) problems.push(`${where || '(root)'}: optional dependency ${name} is not in the lockfile`);
  }
  const range = entry.engines && entry.engines.node;
  if (where && range && semver.validRange(range) && !semver.satisfies(minNode, range)) {
    problems.push(`${where}@${entry.version}: needs Node ${range}, the project declares ${pkg.engines.node}`);
  }
  if (entry.resolved && !entry.link) problems.push(`${where}: has a "resolved" registry URL`);
}

if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
