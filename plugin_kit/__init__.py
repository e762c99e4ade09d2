"""The plugin kit of TensorBoard-X: what a TensorBoard plugin of time series needs, in one package.

A plugin subclasses `plugin_kit.series_plugin.SeriesPlugin`; see docs/writing-a-plugin.md.
"""
