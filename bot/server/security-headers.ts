import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every answer (@fastify/helmet): a content security policy for kefu's own pages (the
 * demo page and the help centre load only kefu's script and styles and talk only to kefu), nosniff,
 * framing by the same origin only. widget.js and the chat API are meant for other sites, so resources may
 * be loaded cross-origin.
 */
export async function securityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // the page's own <style> and the widget's style in its Shadow DOM
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    // kefu is often run over plain HTTP behind a proxy that adds TLS; HSTS is the proxy's to set
    strictTransportSecurity: false,
  });
}
