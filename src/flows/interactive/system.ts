// What the browser sign-in needs from the machine, in one object that tests can replace.

import { launchOpener, type Launched } from './launch.js'
import { openLoopbackListener, type LoopbackListener } from './loopbackListener.js'

export interface InteractiveSystem {
  platform: NodeJS.Platform
  openListener: () => Promise<LoopbackListener>
  launch: (command: string, args: readonly string[], url: string) => Promise<Launched>
}

export const nodeInteractiveSystem: InteractiveSystem = {
  platform: process.platform,
  openListener: openLoopbackListener,
  launch: (command, args, url) => launchOpener(command, args, url, process.platform),
}
