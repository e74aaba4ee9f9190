// Local secrets for `wrangler dev` and the local scripts: creates .dev.vars (git-ignored) once, so
// the required secret ADMIN_TOKEN is set locally (no warning) and the admin
// endpoints work locally with the token the README shows. Never used when deployed.
import { existsSync, writeFileSync } from 'node:fs'

if (!existsSync('.dev.vars')) {
  writeFileSync('.dev.vars', 'ADMIN_TOKEN=dev-admin-token\n')
  console.log('dev-vars: wrote .dev.vars with ADMIN_TOKEN=dev-admin-token (local only)')
}
