"""The five roles in the field (五员驱动), one Django app per part:

- ``duty``: shifts, sign-on/off, position pings and the day summaries derived from them;
- ``linkage``: rules from a problem to the role whose duty it is, and the calls (联动);
- ``alerts``: instructions and emergency alerts from the centre to those on duty;
- ``handover``: a leaving person's open work and equipment moved to a successor in one step;
- ``mobile``: the handheld app (处置通) under ``/m/``.

Dependencies point one way: duty ← linkage ← alerts ← handover ← mobile.
"""
