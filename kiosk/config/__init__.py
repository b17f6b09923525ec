"""Staff config: TOML files -> validated, typed models; last-known-good; change detection.

Import from the submodules (`kiosk.config.loader`, `kiosk.config.models`, ...): this
package file stays empty so that models can be imported without the loader.
"""
