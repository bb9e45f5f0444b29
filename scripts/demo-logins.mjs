// The demo accounts scripts/seed-demo.ts creates (one per role).
export const DEMO_PASSWORD = 'demo-password-2026';
const ROLES = ['shopworker', 'store_manager', 'coordinator', 'police', 'analyst', 'admin'];
export const demoLogins = () =>
  ROLES.map((role) => ({ role, email: `${role.replace('_', '-')}@riverside.demo`, password: DEMO_PASSWORD }));
