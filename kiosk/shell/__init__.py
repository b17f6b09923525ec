"""The Kivy shell: the window, screens and widgets. Nothing here decides."""
