"""Django's date formats per language, where the site departs from Django's own
(settings.FORMAT_MODULE_PATH). Both languages write a short date the ISO way and
the time on the 24-hour clock, so a table reads the same in either; a day in
running text goes through jour.formatting."""
