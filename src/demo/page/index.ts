/**
 * The demo's page (`GET /`): buttons that call the demo's routes, with the browser telemetry
 * of src/browser bundled into assets/page.js (`npm run build:page`).
 */
export { createDemoPage, demoPage, type DemoPageOptions } from './demo-page.ts';
export { renderPage, jsonForHtml, PAGE_SCRIPT_PATH, type PageDocument } from './page-html.ts';
export { readPageTelemetryConfig, PAGE_CONFIG_ELEMENT_ID, type PageAnswer, type PageTelemetryConfig } from './page-config.ts';
