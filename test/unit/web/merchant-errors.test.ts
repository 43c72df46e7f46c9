/** The API's validation messages in the merchant's words, at their field. */
import { fieldErrors, labelled, merchantMessage } from '../../../web/src/campaigns/merchant-errors';

describe('merchantMessage', () => {
  it('rewrites the developer messages of the campaign schema', () => {
    expect(merchantMessage('message.deepLink', 'must be an absolute URI (scheme:...)')).toBe(
      'Enter a full link such as https://… or myshop://…',
    );
    expect(merchantMessage('message.imageUrl', 'must be an https URL')).toBe('Enter an image address that starts with https://');
    expect(merchantMessage('message.title', 'must be at most 200 characters (got 230)')).toBe(
      'Too long: at most 200 characters (this has 230)',
    );
    expect(merchantMessage('schedule.at', 'is in the past')).toBe('This moment has already passed: pick a later time');
    expect(merchantMessage('message.buttons[0].label', 'must not be empty')).toBe('Write the button text');
  });

  it('keeps a message nobody mapped, rather than hiding it', () => {
    expect(merchantMessage('message.data.x', 'is a reserved key')).toBe('is a reserved key');
  });

  it('maps details by path, and labels a detail for a banner', () => {
    const details = [{ path: 'message.deepLink', message: 'must be an absolute URI (scheme:...)' }];
    expect(fieldErrors(details)).toEqual({ 'message.deepLink': 'Enter a full link such as https://… or myshop://…' });
    expect(labelled(details[0])).toBe('Deep link: Enter a full link such as https://… or myshop://…');
  });
});
