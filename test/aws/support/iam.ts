/**
 * IAM policy evaluation as the stand-ins need it: an explicit Deny wins, else some Allow must
 * match the action, the resource and every condition. Wildcards `*` and `?` in actions (case
 * insensitive) and resources; condition operators StringEquals/StringLike/ArnEquals/ArnLike (and
 * their Not forms); a condition key the request does not carry fails the condition, as in AWS.
 */
export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export type ConditionContext = Record<string, string>;

export interface Request {
  action: string;
  resource: string;
  context?: ConditionContext;
}

/** An SDK call the caller's role does not allow. */
export class AccessDenied extends Error {
  constructor(
    readonly principal: string,
    readonly request: Request,
  ) {
    super(
      `User: ${principal} is not authorized to perform: ${request.action} on resource: ${request.resource} because no identity-based policy allows the ${request.action} action`,
    );
    this.name = 'AccessDenied';
  }
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM wildcard match (`*` any run, `?` one character). */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    caseInsensitive ? 'is' : 's',
  );
  return re.test(value);
}

function conditionHolds(condition: Statement['Condition'], ctx: ConditionContext): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = ctx[key];
      const values = list(expected);
      const negated = operator.startsWith('StringNot') || operator.startsWith('ArnNot');
      if (actual === undefined) {
        if (!negated) return false;
        continue;
      }
      const like = operator.endsWith('Like');
      const caseInsensitive = operator.includes('IgnoreCase');
      const base = operator.replace('IfExists', '');
      if (
        ![
          'StringEquals',
          'StringLike',
          'ArnEquals',
          'ArnLike',
          'StringNotEquals',
          'StringNotLike',
          'ArnNotEquals',
          'ArnNotLike',
          'StringEqualsIgnoreCase',
        ].includes(base)
      ) {
        throw new Error(`condition operator ${operator} is not modelled by the AWS world; add it`);
      }
      const any = values.some((v) =>
        like ? wildcardMatch(v, actual, caseInsensitive) : caseInsensitive ? v.toLowerCase() === actual.toLowerCase() : v === actual,
      );
      if (negated ? any : !any) return false;
    }
  }
  return true;
}

function statementMatches(s: Statement, req: Request): boolean {
  const actionOk =
    s.Action !== undefined
      ? list(s.Action).some((a) => wildcardMatch(a, req.action, true))
      : !list(s.NotAction).some((a) => wildcardMatch(a, req.action, true));
  if (!actionOk) return false;
  const resourceOk =
    s.Resource !== undefined
      ? list(s.Resource).some((r) => wildcardMatch(r, req.resource))
      : !list(s.NotResource).some((r) => wildcardMatch(r, req.resource));
  return resourceOk && conditionHolds(s.Condition, req.context ?? {});
}

/** Whether the statements allow the request. */
export function allows(statements: Statement[], req: Request): boolean {
  if (statements.some((s) => s.Effect === 'Deny' && statementMatches(s, req))) return false;
  return statements.some((s) => s.Effect === 'Allow' && statementMatches(s, req));
}

/** Whether a trust policy lets this service principal assume the role with these request conditions. */
export function trusts(statements: Statement[], service: string, ctx: ConditionContext): boolean {
  return statements.some((s) => {
    if (s.Effect !== 'Allow' || !list(s.Action).includes('sts:AssumeRole')) return false;
    const principal = s.Principal as { Service?: string | string[] } | undefined;
    return list(principal?.Service).includes(service) && conditionHolds(s.Condition, ctx);
  });
}
