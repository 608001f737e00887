/**
 * What runs inside an emulated ECS. The emulator's ECS knows a server's lifecycle (BUILD,
 * ACTIVE, SHUTOFF, deleted); the guest backend knows what the machine prints on its serial
 * console and when it powers itself off. The scripted guest (scripted-guest.ts) reads the
 * server's real user_data and prints what the factory's runner would; a QEMU-backed one can
 * boot a real disk behind the same interface.
 */
import type { EmuContext } from './types.js';

/** The parts of a server record a guest needs. */
export interface GuestServer {
  readonly id: string;
  readonly region: string;
  /** base64 user_data as the ECS API received it. */
  readonly user_data?: string;
  readonly imageId: string;
  /** Emulated ms when the server became ACTIVE (the guest starts booting). */
  readonly activeAt: number;
  /** Emulated ms of a stop request, if any. */
  readonly stopRequestedAt?: number;
  /** Backend-owned, JSON-serializable (persisted with the server). */
  guest?: Record<string, any>;
}

export interface GuestBackend {
  /** The server is ACTIVE: its guest starts booting. */
  start(server: GuestServer, ctx: EmuContext): void;
  /** Everything the guest printed on its serial console by `ctx.now`. */
  consoleLines(server: GuestServer, ctx: EmuContext): string[];
  /** When the guest powered itself off, if it did by `ctx.now`. */
  poweredOffAt(server: GuestServer, ctx: EmuContext): number | undefined;
  /** The server is stopped or deleted: the guest ends. */
  stop(server: GuestServer, ctx: EmuContext): void;
  /** An image is captured from the (stopped) server: the backend may keep the disk under `imageId`. */
  capture?(server: GuestServer, imageId: string, ctx: EmuContext): void;
}
