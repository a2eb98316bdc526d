"""Resolutions (dərkənar) and execution control: a head routes a registered document to
executors with a deadline; executors forward, report and ask for more time; the controller
takes the executed document off control. Importing the package registers its policy rules."""

from asan.edms.resolutions import policy as policy
