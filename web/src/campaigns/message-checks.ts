/** The checks a message gets before it is saved (pure: the composer, the automation editor and the A/B test share them). */
import { BODY_MAX_LENGTH, graphemeLength, TITLE_MAX_LENGTH } from '../../../lambdas/domain/campaigns/message-length';

/** An empty or too long title or body, as `{ path: text }`. */
export function messageErrors(
  message: { title: string; body: string },
  tooLong: (max: number, length: number) => string,
): Record<string, string> {
  const local: Record<string, string> = {};
  const titleLength = graphemeLength(message.title);
  const bodyLength = graphemeLength(message.body);
  if (!message.title.trim()) local['message.title'] = 'Write a title';
  else if (titleLength > TITLE_MAX_LENGTH) local['message.title'] = tooLong(TITLE_MAX_LENGTH, titleLength);
  if (!message.body.trim()) local['message.body'] = 'Write a message';
  else if (bodyLength > BODY_MAX_LENGTH) local['message.body'] = tooLong(BODY_MAX_LENGTH, bodyLength);
  return local;
}
