/**
 * The admin reports page: static HTML/JS/CSS (public/admin) that reads the admin endpoints with the token
 * the user types. The page holds no data, so it is served without the token; its own plugin, so the
 * admin plugin's bearer check does not apply to it.
 */
import type { FastifyInstance } from 'fastify';
import { staticPage } from '../http/static-page';
import { projectPath } from '../paths';
import { PLAYGROUND_CSP } from '../playground/plugin';

export const DASHBOARD_PATH = '/admin/dashboard';

/** the same page policy as the playground: same-origin scripts, styles and fetches only, no framing */
export const DASHBOARD_CSP = PLAYGROUND_CSP;

export async function adminDashboard(app: FastifyInstance): Promise<void> {
  await staticPage(app, { url: DASHBOARD_PATH, root: projectPath('public', 'admin'), csp: DASHBOARD_CSP });
}
