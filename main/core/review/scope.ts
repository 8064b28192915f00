/**
 * Branch scope: a user with a branch sees and acts only within it. A scope is a branch (分行) or
 * a sub-branch (支行) as the staff roster names them; '' is head office, that is everything.
 */
import type { Db } from '../store/index.js';

/** true when the roster has `sub` as a sub-branch of `branch` */
export function isSubBranch(db: Db, sub: string, branch: string): boolean {
  return !!db.prepare('SELECT 1 FROM staff WHERE branch = ? AND sub_branch = ? LIMIT 1').get(branch, sub);
}

/**
 * true when `target` (a branch or sub-branch; '' = the whole bank) lies within `scope`
 * ('' = head office): the scope itself, or one of its sub-branches.
 */
export function withinScope(db: Db, target: string, scope: string): boolean {
  if (!scope) return true;
  if (!target) return false;
  return target === scope || isSubBranch(db, target, scope);
}
