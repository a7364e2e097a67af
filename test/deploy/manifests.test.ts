import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const run = (...args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });

/** No Docker engine or cluster here: the deployment files are checked statically, on every test run. */
describe('deployment files', () => {
  it('the plan ConfigMap is generated from plans/sample and not stale', () => {
    const r = run('docker/k8s/make-plan-configmap.js', 'plans/sample', '--check');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('Kubernetes objects, compose and Dockerfile sources pass docker/validate.js', () => {
    const r = run('docker/validate.js');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
