// Lint sample: a dynamic import of undici (allowed only in src/http/).
export const loadUndici = () => import('undici')
