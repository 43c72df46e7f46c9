/** Automation addresses. */

/** `/automations/<id>` (its page) or `/automations/<id>/edit`. */
export const automationPath = (id: string, sub?: 'edit') => `/automations/${encodeURIComponent(id)}${sub ? `/${sub}` : ''}`;
