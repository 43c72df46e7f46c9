/**
 * EventBridge Scheduler (REST JSON): CreateSchedule / UpdateSchedule / GetSchedule / DeleteSchedule
 * with the documented rules (names 1–64 of [0-9a-zA-Z-_.], unique per group; the group must exist;
 * one-time `at(yyyy-mm-ddThh:mm:ss)` with a valid time zone; the caller must be allowed to pass the
 * execution role to scheduler.amazonaws.com). When a schedule comes due on the world's clock,
 * Scheduler assumes the execution role — only if the role's trust policy admits the service with
 * aws:SourceAccount and aws:SourceArn = the schedule GROUP's ARN — and invokes the target
 * asynchronously with the role's permissions; what it cannot deliver goes to the schedule's DLQ
 * (with the same role), else is lost.
 */
import { DateTime } from 'luxon';
import { authorize, json, ServiceError, type BoxRequest, type BoxResponse, type Service } from '../box';
import { ACCOUNT, REGION, type CloudAssembly } from '../cloud-assembly';
import { allows, trusts } from '../iam';

export interface ScheduleModel {
  name: string;
  group: string;
  expression: string;
  timezone: string;
  fireAtMs: number;
  target: { Arn: string; RoleArn: string; Input?: string; DeadLetterConfig?: { Arn?: string } };
  actionAfterCompletion: string;
}

export interface SchedulerTargets {
  invokeAsync(functionArn: string, payload: unknown): boolean;
  sendToQueue(queueArn: string, body: string): boolean;
}

export class SchedulerStandIn implements Service {
  readonly protocol = 'restJson' as const;
  readonly accessDeniedCode = 'AccessDeniedException';
  readonly schedules = new Map<string, ScheduleModel>();
  private readonly groups = new Set<string>();
  /** Schedules that came due but reached neither the target nor the DLQ (silently lost in AWS). */
  readonly lost: { schedule: string; reason: string }[] = [];
  /** Schedules whose invocation was handed to the DLQ. */
  readonly deadLettered: string[] = [];
  fired = 0;

  constructor(
    private readonly assembly: CloudAssembly,
    private readonly now: () => number,
  ) {
    for (const g of assembly.ofType('AWS::Scheduler::ScheduleGroup')) this.groups.add(assembly.physicalName(g));
  }

  private key(group: string, name: string): string {
    return `${group}/${name}`;
  }

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const m = /^\/schedules\/([^/]+)$/.exec(req.path);
    if (!m) throw new ServiceError('ValidationException', `the AWS world's Scheduler does not model ${req.method} ${req.path}`);
    const name = m[1];
    const input = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
    const group: string = (req.method === 'GET' || req.method === 'DELETE' ? req.query.get('groupName') : input.GroupName) ?? 'default';
    const arn = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${name}`;
    const op = { POST: 'CreateSchedule', PUT: 'UpdateSchedule', GET: 'GetSchedule', DELETE: 'DeleteSchedule' }[req.method] ?? req.method;
    authorize(req.caller, `scheduler:${op}`, arn);
    if (!this.groups.has(group)) throw new ServiceError('ResourceNotFoundException', `Schedule group ${group} does not exist.`, 404);
    const existing = this.schedules.get(this.key(group, name));
    switch (req.method) {
      case 'POST':
      case 'PUT': {
        if (req.method === 'POST' && existing) throw new ServiceError('ConflictException', `Schedule ${name} already exists.`, 409);
        if (req.method === 'PUT' && !existing) throw new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
        const schedule = this.validate(name, group, input);
        // Creating a schedule with a role is iam:PassRole of that role to the scheduler service.
        authorize(req.caller, 'iam:PassRole', schedule.target.RoleArn, { 'iam:PassedToService': 'scheduler.amazonaws.com' });
        this.schedules.set(this.key(group, name), schedule);
        return json({ ScheduleArn: arn });
      }
      case 'GET':
        if (!existing) throw new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
        return json({
          Name: name,
          GroupName: group,
          Arn: arn,
          ScheduleExpression: existing.expression,
          ScheduleExpressionTimezone: existing.timezone,
          Target: existing.target,
        });
      case 'DELETE':
        if (!existing) throw new ServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
        this.schedules.delete(this.key(group, name));
        return json({});
      default:
        throw new ServiceError('ValidationException', `unsupported method ${req.method}`);
    }
  }

  private validate(name: string, group: string, input: any): ScheduleModel {
    if (!/^[0-9a-zA-Z\-_.]{1,64}$/.test(name))
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+ and length <= 64`,
      );
    const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(input.ScheduleExpression ?? '');
    if (!at)
      throw new ServiceError(
        'ValidationException',
        `Invalid Schedule Expression ${input.ScheduleExpression}: the product only uses one-time at(yyyy-mm-ddThh:mm:ss) schedules.`,
      );
    const timezone = input.ScheduleExpressionTimezone ?? 'UTC';
    const fireAt = DateTime.fromISO(at[1], { zone: timezone });
    if (!fireAt.isValid) throw new ServiceError('ValidationException', `Invalid time zone or time: ${timezone} ${at[1]}`);
    if (input.FlexibleTimeWindow?.Mode === undefined) throw new ServiceError('ValidationException', 'FlexibleTimeWindow is required.');
    const target = input.Target ?? {};
    if (!target.Arn || !target.RoleArn) throw new ServiceError('ValidationException', 'Target Arn and RoleArn are required.');
    if (target.Input !== undefined && Buffer.byteLength(target.Input) > 8192)
      throw new ServiceError('ValidationException', 'Target Input exceeds 8192 characters.');
    return {
      name,
      group,
      expression: input.ScheduleExpression,
      timezone,
      fireAtMs: fireAt.toMillis(),
      target,
      actionAfterCompletion: input.ActionAfterCompletion ?? 'NONE',
    };
  }

  /** Fire every schedule due on the world's clock; returns how many fired. */
  fireDue(targets: SchedulerTargets): number {
    let n = 0;
    for (const [key, s] of [...this.schedules]) {
      if (s.fireAtMs > this.now()) continue;
      n++;
      this.fired++;
      if (s.actionAfterCompletion === 'DELETE') this.schedules.delete(key);
      this.deliver(s, targets);
    }
    return n;
  }

  private deliver(s: ScheduleModel, targets: SchedulerTargets): void {
    const role = this.assembly.roleByArn(s.target.RoleArn);
    const groupArn = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${s.group}`;
    const assumed =
      role &&
      trusts(this.assembly.trustStatements(role.stack, role.logicalId), 'scheduler.amazonaws.com', {
        'aws:SourceAccount': ACCOUNT,
        'aws:SourceArn': groupArn,
      });
    if (!assumed) {
      // Without the role there is no way to write the DLQ either: the invocation is silently lost.
      this.lost.push({
        schedule: s.name,
        reason: `Scheduler could not assume ${s.target.RoleArn} (trust policy does not admit source ${groupArn})`,
      });
      return;
    }
    const statements = this.assembly.roleStatements(role.stack, role.logicalId);
    const payload = s.target.Input !== undefined ? JSON.parse(s.target.Input) : {};
    if (allows(statements, { action: 'lambda:InvokeFunction', resource: s.target.Arn }) && targets.invokeAsync(s.target.Arn, payload))
      return;
    const dlq = s.target.DeadLetterConfig?.Arn;
    if (dlq && allows(statements, { action: 'sqs:SendMessage', resource: dlq }) && targets.sendToQueue(dlq, s.target.Input ?? '{}')) {
      this.deadLettered.push(s.name);
      return;
    }
    this.lost.push({ schedule: s.name, reason: `the role may not invoke ${s.target.Arn} and the DLQ could not be written` });
  }
}
