"""The pure core: decisions with no Kivy and no file or process I/O."""
