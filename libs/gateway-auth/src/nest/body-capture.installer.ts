import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExpressBodyCapture } from '../body/express-body-capture';
import { GatewayAuth } from '../core/gateway-auth';
import { deferBodyError } from './deferred-body-error';
import {
  installFastifyBodyCapture,
  type FastifyInstanceLike,
  type UseBodyParser,
} from './fastify-body-capture';

/** The parts of Nest's HTTP adapters used here (Express and Fastify). */
interface HttpAdapterLike {
  getType(): string;
  getInstance(): unknown;
  use(handler: unknown): unknown;
  useBodyParser?: UseBodyParser;
  isMiddlewareApplied?(name: string): boolean;
}

/** `HttpAdapterHost` as Nest 10.2+ has it; `init$` (emits once the adapter is set) is newer. */
interface AdapterHostLike {
  httpAdapter: HttpAdapterLike | undefined;
  init$?: { subscribe(next: () => void): unknown };
}

/** The installation on an adapter's instance, so two modules never install twice. */
const INSTALLED = Symbol('gateway-auth:body-capture');

/**
 * Makes request bodies readable by gateway-auth with no wiring by the app: as soon as Nest has its
 * HTTP adapter (at `NestFactory.create`, or `createNestApplication` of a testing module), before
 * Nest adds its body parsers, it installs gateway-auth's body capture — on Express a middleware
 * ahead of every other (see `ExpressBodyCapture`), on Fastify its content-type parsers and a
 * `preParsing` hook (see `installFastifyBodyCapture`). `rawBody: true` is no longer needed. On
 * Express without any JSON parser (`NestFactory.create(..., { bodyParser: false })` and none added:
 * the app reads bodies itself) it parses nothing and only reads SigV4-signed bodies, into
 * `req.rawBody`.
 */
@Injectable()
export class BodyCaptureInstaller implements OnModuleInit {
  private express: { capture: ExpressBodyCapture; parse: boolean } | undefined;
  private installed = false;
  /** Why installing failed (`express` not loadable...): raised at start-up, by `onModuleInit`. */
  private failure: Error | undefined;

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(GatewayAuth) private readonly gatewayAuth: GatewayAuth,
  ) {
    const host_ = host as unknown as AdapterHostLike;
    // `init$` calls back inside Nest's own code (an error thrown there would surface later, as an
    // unhandled one): a failure is kept and raised when the app starts.
    const install = (): void => {
      try {
        this.install(host_.httpAdapter);
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      }
    };
    if (host_.init$) host_.init$.subscribe(install);
    else install();
  }

  /**
   * Raises a failed installation (the app does not start), and on Express learns whether JSON is
   * parsed at all (Nest has added its parsers by now, unless told not to).
   * @throws ConfigError when body capture could not be installed (e.g. `express` not installed).
   */
  onModuleInit(): void {
    if (this.failure !== undefined) throw this.failure;
    const adapter = (this.host as unknown as AdapterHostLike).httpAdapter;
    if (adapter === undefined) return;
    if (!this.installed) {
      this.gatewayAuth.logger.log('warn', 'body_capture.not_installed', {
        reason:
          'the HTTP adapter was set after gateway-auth started and this @nestjs/core has no HttpAdapterHost.init$: ' +
          'SigV4-signed bodies need NestFactory.create(..., { rawBody: true })',
      });
      return;
    }
    if (this.express && adapter.isMiddlewareApplied?.('jsonParser') === false) {
      this.express.parse = false;
    }
  }

  private install(adapter: HttpAdapterLike | undefined): void {
    if (adapter === undefined || this.installed) return;
    const instance = adapter.getInstance() as Record<symbol, unknown> | undefined;
    if (instance === undefined || instance === null) return;
    this.installed = true;
    if (instance[INSTALLED]) return;
    instance[INSTALLED] = true;
    const type = adapter.getType();
    if (type === 'express') {
      const express = {
        capture: new ExpressBodyCapture(this.gatewayAuth, deferBodyError),
        parse: true,
      };
      this.express = express;
      adapter.use((req: IncomingMessage, res: ServerResponse, next: () => void) =>
        express.capture.capture(req, res, next, express.parse),
      );
    } else if (type === 'fastify') {
      installFastifyBodyCapture(
        instance as unknown as FastifyInstanceLike,
        adapter.useBodyParser?.bind(adapter),
        this.gatewayAuth,
      );
    }
  }
}
