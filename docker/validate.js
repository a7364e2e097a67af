#!/usr/bin/env node
'use strict';
/**
 * Static checks for the container and Kubernetes files (there is no Docker engine or cluster where this
 * is developed): every YAML document parses; Kubernetes objects have apiVersion/kind/metadata.name;
 * ConfigMaps/Secrets the Deployment references exist; kustomization lists every manifest; every path the
 * Dockerfile COPYs from the build context exists and is not excluded by .dockerignore.
 *   node docker/validate.js
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const problems = [];
const objects = [];

function yamlFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

for (const file of yamlFiles(__dirname)) {
  const rel = path.relative(root, file);
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  for (const d of docs) {
    for (const e of d.errors) problems.push(`${rel}: ${e.message}`);
    const o = d.toJS();
    if (!o) continue;
    if (file.includes(`${path.sep}k8s${path.sep}`) && !rel.endsWith('kustomization.yaml')) {
      if (!o.apiVersion || !o.kind || !o.metadata || !o.metadata.name) problems.push(`${rel}: missing apiVersion/kind/metadata.name`);
      objects.push({ file: path.basename(file), o });
    }
    if (rel.endsWith('compose.yaml') && !o.services) problems.push(`${rel}: no services`);
  }
}

const byKind = (kind) => objects.filter((x) => x.o.kind === kind).map((x) => x.o);
const names = (kind) => new Set(byKind(kind).map((o) => o.metadata.name));
for (const dep of byKind('Deployment')) {
  const spec = dep.spec.template.spec;
  for (const c of spec.containers) {
    for (const ef of c.envFrom || []) if (ef.configMapRef && !names('ConfigMap').has(ef.configMapRef.name)) problems.push(`Deployment: unknown ConfigMap ${ef.configMapRef.name}`);
    for (const e of c.env || []) {
      const ref = e.valueFrom && e.valueFrom.secretKeyRef;
      if (ref) {
        const secret = byKind('Secret').find((s) => s.metadata.name === ref.name);
        if (!secret) problems.push(`Deployment: unknown Secret ${ref.name}`);
        else if (!(ref.key in (secret.stringData || secret.data || {}))) problems.push(`Deployment: Secret ${ref.name} has no key ${ref.key}`);
      }
    }
    const sc = c.securityContext || {};
    if (sc.readOnlyRootFilesystem !== true || sc.allowPrivilegeEscalation !== false || !(sc.capabilities && sc.capabilities.drop || []).includes('ALL')) {
      problems.push(`Deployment ${dep.metadata.name}: container ${c.name} securityContext is not locked down`);
    }
  }
  if (!(spec.securityContext && spec.securityContext.runAsNonRoot)) problems.push('Deployment: runAsNonRoot not set');
  for (const v of spec.volumes || []) if (v.configMap && !names('ConfigMap').has(v.configMap.name)) problems.push(`Deployment: unknown ConfigMap volume ${v.configMap.name}`);
}
for (const hpa of byKind('HorizontalPodAutoscaler')) if (!names('Deployment').has(hpa.spec.scaleTargetRef.name)) problems.push('HPA targets an unknown Deployment');

const kustomization = YAML.parse(fs.readFileSync(path.join(__dirname, 'k8s', 'kustomization.yaml'), 'utf8'));
for (const { file } of objects) if (!kustomization.resources.includes(file)) problems.push(`kustomization.yaml does not list ${file}`);
for (const r of kustomization.resources) if (!fs.existsSync(path.join(__dirname, 'k8s', r))) problems.push(`kustomization.yaml lists missing ${r}`);

// Dockerfile: COPY sources from the build context must exist and must not be .dockerignore'd.
const ignored = fs
  .readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
for (const line of dockerfile.split('\n')) {
  const m = /^COPY\s+(?!--from)(.+)$/.exec(line.trim());
  if (!m) continue;
  const parts = m[1].split(/\s+/).filter((p) => !p.startsWith('--'));
  for (const src of parts.slice(0, -1)) {
    if (!fs.existsSync(path.join(root, src))) problems.push(`Dockerfile: COPY source ${src} does not exist`);
    if (ignored.includes(src)) problems.push(`Dockerfile: COPY source ${src} is excluded by .dockerignore`);
  }
}

if (problems.length) {
  console.error(`docker/validate.js: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(`docker/validate.js: ${objects.length} Kubernetes objects and docker/compose.yaml parse; references and Dockerfile sources check out`);
