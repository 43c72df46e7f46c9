/**
 * The server's rules for `testDevices` (lambdas/domain/settings.ts, lambdas/domain/devices/device.ts), restated
 * here because those modules carry zod and the bundle must not; test/unit/web/test-devices.test.ts holds the two equal.
 */
export const MAX_TEST_DEVICES = 20;
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
