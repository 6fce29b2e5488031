/** Text safe to print: what the lookup writes of any value that comes from Jaeger or VictoriaLogs. */
export { stripControlCharacters } from './strip-control-characters.ts';
