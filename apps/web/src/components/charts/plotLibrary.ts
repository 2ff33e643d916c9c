/** Observable Plot, re-exported so its lazily loaded chunk is named `plotLibrary-*` in the build. */
export * from '@observablehq/plot'
